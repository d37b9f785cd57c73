import type { ProbeAnswer } from '../../http/probe.js';
import { parseSetCookie, type SetCookie } from '../../http/set-cookie.js';
import { autoSubmittedForm, clientRedirect, visibleText } from '../../util/html.js';

/** The tool's authentication request to Moodle's auth.php, as its answer to a login initiation sends the browser. */
export interface AuthRequestSeen {
  /** A 3xx Location, an auto-submitted form, or a page's meta or script redirect. */
  via: 'redirect' | 'form' | 'page';
  /** How the browser then asks auth.php. */
  method: 'GET' | 'POST';
  /** scheme://host/path of the request, without its query. */
  endpoint: string;
  params: Record<string, string>;
}

export interface LoginAnswer {
  status: number;
  /** Where the answer sends the browser, when it does. */
  request?: AuthRequestSeen;
  /** Where a redirect goes that is no authentication request (no client_id): another page first. */
  elsewhere?: string;
  /** The cookies the answer sets (deleting lines left out). */
  cookies: SetCookie[];
  /** The visible text of a page, for an error page's words. */
  text: string;
}

function fromUrl(url: URL, via: AuthRequestSeen['via']): AuthRequestSeen {
  return {
    via,
    method: 'GET',
    endpoint: `${url.origin}${url.pathname}`,
    params: Object.fromEntries(url.searchParams),
  };
}

/**
 * Read a tool's answer to a login initiation without following it: an authentication request carries client_id
 * (OIDC core: scope, response_type, client_id, redirect_uri …); a redirect without one is another page first.
 */
export function readLoginAnswer(answer: ProbeAnswer): LoginAnswer {
  const cookies = answer.setCookies.map(parseSetCookie).filter((c): c is SetCookie => !!c && !c.deletes);
  const base = { status: answer.status, cookies, text: '' };
  const location = answer.headers.location;
  if (answer.status >= 300 && answer.status < 400 && location) {
    let url: URL;
    try {
      url = new URL(location, answer.finalUrl);
    } catch {
      return { ...base, elsewhere: location };
    }
    return url.searchParams.has('client_id')
      ? { ...base, request: fromUrl(url, 'redirect') }
      : { ...base, elsewhere: url.toString() };
  }
  const html = answer.body;
  const form = autoSubmittedForm(html);
  if (form && 'client_id' in form.fields) {
    let action: URL;
    try {
      action = new URL(form.action || answer.finalUrl, answer.finalUrl);
    } catch {
      return { ...base, text: visibleText(html) };
    }
    const post = form.method.toLowerCase() === 'post';
    return {
      ...base,
      request: {
        via: 'form',
        method: post ? 'POST' : 'GET',
        endpoint: `${action.origin}${action.pathname}`,
        params: post ? form.fields : { ...Object.fromEntries(action.searchParams), ...form.fields },
      },
    };
  }
  const onLoad = clientRedirect(html);
  if (onLoad) {
    try {
      const url = new URL(onLoad, answer.finalUrl);
      if (url.searchParams.has('client_id')) return { ...base, request: fromUrl(url, 'page') };
      return { ...base, elsewhere: url.toString(), text: visibleText(html) };
    } catch {
      // a script's URL that is none: read as a page
    }
  }
  return { ...base, text: visibleText(html) };
}

/** URLs compared as Moodle compares them after its own parse: scheme and host case-free, the path as given. */
export function sameEndpoint(a: string, b: string): boolean {
  try {
    const x = new URL(a);
    const y = new URL(b);
    return x.origin === y.origin && x.pathname === y.pathname;
  } catch {
    return false;
  }
}
