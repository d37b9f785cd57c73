import { parseSetCookie } from './set-cookie.js';

interface KeptCookie {
  name: string;
  value: string;
  /** Host-only: the exact host that set it (Moodle never sets a Domain attribute on its session cookie). */
  host: string;
  path: string;
  secure: boolean;
}

/** RFC 6265 5.1.4: the request path is the cookie path, or below it. */
function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}

/** The default path of a cookie set without one (RFC 6265 5.1.4): the request path up to its last slash. */
function defaultPath(url: URL): string {
  const path = url.pathname;
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? '/' : path.slice(0, slash);
}

/**
 * Cookies kept as a browser keeps them: each for the host that set it (host-only), its path, and — when Secure — for
 * https only. A cookie never goes to another host than the one that set it.
 */
export class CookieJar {
  private readonly cookies: KeptCookie[] = [];

  /** Keep (or remove) what a response from `url` set. */
  store(url: string, setCookie: string | undefined): void {
    const from = new URL(url);
    for (const line of (setCookie ?? '').split('\n').filter(Boolean)) {
      const cookie = parseSetCookie(line);
      if (!cookie) continue;
      // A Secure cookie may not be set over plain http (RFC 6265bis 5.6).
      if (cookie.secure && from.protocol !== 'https:') continue;
      const path = /;\s*path=\//i.test(line) ? cookie.path : defaultPath(from);
      const host = from.hostname.toLowerCase();
      const at = this.cookies.findIndex((c) => c.name === cookie.name && c.host === host && c.path === path);
      if (at >= 0) this.cookies.splice(at, 1);
      if (!cookie.deletes)
        this.cookies.push({ name: cookie.name, value: cookie.value, host, path, secure: cookie.secure });
    }
  }

  /** The Cookie header for a request to `url`: only the cookies of its host and path, Secure ones over https only. */
  header(url: string): string | undefined {
    const to = new URL(url);
    const host = to.hostname.toLowerCase();
    const sent = this.cookies
      .filter((c) => c.host === host && pathMatches(to.pathname, c.path) && (!c.secure || to.protocol === 'https:'))
      // Longer paths first, as browsers send them.
      .sort((a, b) => b.path.length - a.path.length)
      .map((c) => `${c.name}=${c.value}`);
    return sent.length ? sent.join('; ') : undefined;
  }
}
