import { InsperaLtiError } from '../../errors.js';
import type { HttpClient, HttpResponse } from '../../http/client.js';
import { CookieJar } from '../../http/cookie-jar.js';
import { encodeForm } from '../../util/form.js';
import { parseForms } from '../../util/html.js';
import { loginErrorOf, loginFormOf } from '../login-page.js';

/** One page Moodle answered, after its redirects. */
export interface MoodlePage {
  url: string;
  status: number;
  body: string;
  contentType: string;
}

/** Pages a login or a page load can stop at, by where Moodle sends the browser and what it says. */
const STOPS: Array<{ path: RegExp; what: string; fix: string }> = [
  {
    path: /\/login\/change_password\.php/,
    what: 'Moodle wants this account to change its password before anything else',
    fix: 'log in once in a browser and change the password, then run this again',
  },
  {
    path: /\/(admin\/tool\/policy\/|user\/policy\.php)/,
    what: 'Moodle wants this account to accept the site policy first',
    fix: 'log in once in a browser and accept the site policy, then run this again',
  },
  {
    path: /\/admin\/tool\/mfa\//,
    what: 'this site asks for an extra authentication step (multi-factor authentication) after the password',
    fix: 'use an account without MFA for this (a service account with the capability), or enter the data by hand',
  },
];

const MAINTENANCE = /(undergoing maintenance|maintenancewarning|class="[^"]*sitemaintenance)/i;

/**
 * A logged-in Moodle session, as a browser keeps one: the login form with its logintoken, the cookie jar, the
 * sesskey. Pages that stop a login (a refused password, a forced password change, a site policy, an extra
 * authentication step, maintenance) are each one clear error. Reading never submits a form other than the login;
 * post() is for init --apply alone.
 */
/** How long the admin commands wait: each request (whole answer, not idle time), and the whole command. */
export interface SessionTimeouts {
  requestMs: number;
  commandMs: number;
}

export const DEFAULT_SESSION_TIMEOUTS: SessionTimeouts = { requestMs: 20_000, commandMs: 300_000 };

/** Moodle pages are well under this; a longer answer is not read as a page (a cut form would lose fields). */
const MAX_PAGE_BYTES = 5 * 1024 * 1024;

export class MoodleSession {
  private readonly jar = new CookieJar();
  private cachedSesskey: string | undefined;
  private readonly root: URL;
  private readonly until: number;

  constructor(
    readonly wwwroot: string,
    private readonly http: HttpClient,
    private readonly timeouts: SessionTimeouts = DEFAULT_SESSION_TIMEOUTS,
  ) {
    this.root = new URL(wwwroot);
    this.until = Date.now() + timeouts.commandMs;
  }

  /**
   * The password, the session cookie and the sesskey go to this Moodle's own origin only: the wwwroot's, or the same
   * host over https when the wwwroot is http (Moodle's own redirect to https).
   */
  private ownOrigin(url: URL): boolean {
    if (url.origin === this.root.origin) return true;
    return url.protocol === 'https:' && this.root.protocol === 'http:' && url.hostname === this.root.hostname;
  }

  private refuseOffsite(url: URL, why: string): never {
    throw new InsperaLtiError(
      'MOODLE_OFFSITE',
      `${why} ${url.origin}, not ${this.root.origin}: stopped there, and nothing of this account was sent to it`,
      `give the address Moodle itself uses (its wwwroot, $CFG->wwwroot in config.php) as --moodle-url; if ` +
        `${url.origin} is that Moodle, use --moodle-url ${url.origin}`,
    );
  }

  private async send(method: 'GET' | 'POST', url: string, body?: string, type?: string): Promise<MoodlePage> {
    let current = new URL(url, this.wwwroot);
    if (!this.ownOrigin(current))
      this.refuseOffsite(current, `${method === 'POST' ? 'a form of' : 'a link of'} ${this.root.origin} leads to`);
    let verb = method;
    let payload = body;
    for (let hop = 0; hop < 10; hop++) {
      const page = `${current.origin}${current.pathname}`;
      const left = this.until - Date.now();
      if (left <= 0)
        throw new InsperaLtiError(
          'MOODLE_UNREACHABLE',
          `${page}: the command's ${this.timeouts.commandMs / 1000} s ran out before Moodle answered everything`,
          'check that the site answers in a browser, or give it more time (--timeout, per request)',
        );
      const timeoutMs = Math.min(this.timeouts.requestMs, left);
      const cookie = this.jar.header(current.toString());
      let response: HttpResponse;
      try {
        response = await this.http.send({
          method: verb,
          url: current.toString(),
          headers: {
            ...(cookie ? { cookie } : {}),
            accept: 'text/html,application/json',
            ...(payload !== undefined ? { 'content-type': type ?? 'application/x-www-form-urlencoded' } : {}),
          },
          ...(payload !== undefined ? { body: payload } : {}),
          timeoutMs,
          maxBytes: MAX_PAGE_BYTES,
        });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? '';
        const slow = /TIMEOUT/.test(code);
        throw new InsperaLtiError(
          'MOODLE_UNREACHABLE',
          slow
            ? `${page} did not answer completely within ${timeoutMs / 1000} s`
            : `${current.origin} did not answer: ${(error as Error).message}`,
          slow
            ? 'check that the page opens in a browser; a slow site may need more time (--timeout <ms>)'
            : 'check the Moodle address (--moodle-url) and that this machine reaches it',
          { cause: error },
        );
      }
      if (response.truncated)
        throw new InsperaLtiError(
          'MOODLE_NOT_ALLOWED',
          `${page} answered more than ${MAX_PAGE_BYTES / 1024 / 1024} MiB: not read, since a cut page would be ` +
            'read wrongly (and a cut form saved without its last fields)',
          'open the page in a browser to see what it holds; a Moodle page is far smaller',
        );
      this.jar.store(current.toString(), response.headers['set-cookie']);
      const location = response.headers.location;
      if (response.status >= 300 && response.status < 400 && location) {
        const next = new URL(location, current);
        if (!this.ownOrigin(next)) this.refuseOffsite(next, `${page} redirects to`);
        current = next;
        verb = 'GET';
        payload = undefined;
        continue;
      }
      return {
        url: current.toString(),
        status: response.status,
        body: response.body,
        contentType: response.headers['content-type'] ?? '',
      };
    }
    throw new InsperaLtiError('MOODLE_UNREACHABLE', `${url} redirects in a loop`, 'open it in a browser to see why');
  }

  /** Stop with the reason when Moodle sent the browser to a page that stands in the way. */
  private stopAt(page: MoodlePage, user: string): void {
    const path = new URL(page.url).pathname;
    for (const stop of STOPS)
      if (stop.path.test(path)) throw new InsperaLtiError('MOODLE_LOGIN_BLOCKED', `${user}: ${stop.what}`, stop.fix);
    // 503 is Moodle's maintenance answer to whom it keeps out (CLI maintenance: everyone). Web maintenance shows a
    // notice on pages an administrator can still use: that alone stops nothing — a repair is most wanted then.
    if (page.status === 503)
      throw new InsperaLtiError(
        'MOODLE_LOGIN_BLOCKED',
        MAINTENANCE.test(page.body)
          ? `${this.wwwroot} is in maintenance mode: only administrators can log in, and nothing can be read now`
          : `${this.wwwroot} answered 503 (unavailable) at ${new URL(page.url).pathname}`,
        'run this again when maintenance is over (an administrator account can log in during web maintenance)',
      );
  }

  /** Log in through the real login form; the redirect to testsession is the proof, never a cookie. */
  async login(username: string, password: string): Promise<void> {
    const page = await this.send('GET', '/login/index.php');
    this.stopAt(page, username);
    const forms = parseForms(page.body);
    const form = loginFormOf(forms);
    if (!form) {
      const guestOnly = forms.some((f) => f.fields.username === 'guest');
      throw new InsperaLtiError(
        'MOODLE_LOGIN_BLOCKED',
        guestOnly
          ? `${this.wwwroot}/login/index.php offers only guest access: no account can log in here`
          : `${this.wwwroot}/login/index.php (HTTP ${page.status}) has no Moodle login form — not Moodle's ` +
              'address, or a single sign-on login only',
        'give the Moodle address (its wwwroot), and an account that logs in with a Moodle password (manual accounts)',
      );
    }
    const action = new URL(form.action || '/login/index.php', page.url).toString();
    const answer = await this.send('POST', action, encodeForm({ ...form.fields, username, password }));
    const loggedIn = /[?&]testsession=\d+/.test(answer.url) || !/\/login\/index\.php/.test(answer.url);
    this.stopAt(answer, username);
    if (!loggedIn || parseForms(answer.body).some((f) => f.name === 'login')) {
      if (MAINTENANCE.test(answer.body) && !loginErrorOf(answer.body))
        throw new InsperaLtiError(
          'MOODLE_LOGIN_BLOCKED',
          `${this.wwwroot} is in maintenance mode and did not let ${username} in: only administrators can log in now`,
          'log in with an administrator account, or run this again when maintenance is over',
        );
      // A page that echoes what was typed must not carry the password into the error line.
      const said = loginErrorOf(answer.body)?.split(password).join('***');
      throw new InsperaLtiError(
        'MOODLE_LOGIN_REFUSED',
        `Moodle refused the login for ${username}${said ? `: "${said}"` : ''} — a wrong password, or a ` +
          'locked or suspended account (Moodle says the same for each)',
        'check the user name and the password (MOODLE_PASSWORD or --password-file)',
      );
    }
  }

  /** A page of this Moodle, logged in; stops at pages that stand in the way. */
  async page(path: string, user = 'this account'): Promise<MoodlePage> {
    const page = await this.send('GET', path);
    this.stopAt(page, user);
    return page;
  }

  /** Submit a form (init --apply only: the one write this project makes, and only to the Inspera tool). */
  async post(path: string, body: string, user = 'this account'): Promise<MoodlePage> {
    const page = await this.send('POST', path, body);
    this.stopAt(page, user);
    return page;
  }

  /** End the session as the user menu does (login/logout.php with the sesskey); best effort, never an error. */
  async logout(): Promise<void> {
    if (!this.cachedSesskey || Date.now() >= this.until) return;
    await this.send('GET', `/login/logout.php?sesskey=${this.cachedSesskey}`).catch(() => undefined);
  }

  /** The session key Moodle's forms and AJAX calls carry (M.cfg.sesskey on every page). */
  async sesskey(): Promise<string> {
    if (this.cachedSesskey) return this.cachedSesskey;
    const page = await this.page('/my/');
    const key = /"sesskey":"([A-Za-z0-9]+)"/.exec(page.body)?.[1] ?? /[?&]sesskey=([A-Za-z0-9]+)/.exec(page.body)?.[1];
    if (!key)
      throw new InsperaLtiError(
        'MOODLE_NOT_ALLOWED',
        `${this.wwwroot}/my/ shows no session key: the login did not hold`,
        'log in in a browser to see what Moodle asks for',
      );
    this.cachedSesskey = key;
    return key;
  }

  /** An external function through Moodle's AJAX endpoint, as Moodle's own pages call it. */
  async ajax<T>(method: string, args: Record<string, unknown>): Promise<T> {
    const key = await this.sesskey();
    const page = await this.send(
      'POST',
      `/lib/ajax/service.php?sesskey=${key}&info=${encodeURIComponent(method)}`,
      JSON.stringify([{ index: 0, methodname: method, args }]),
      'application/json',
    );
    let answer: Array<{ error: boolean; data?: T; exception?: { message?: string; errorcode?: string } }>;
    try {
      answer = JSON.parse(page.body) as typeof answer;
    } catch {
      throw new InsperaLtiError(
        'MOODLE_NOT_ALLOWED',
        `${method}: ${this.wwwroot}/lib/ajax/service.php answered HTTP ${page.status} without JSON`,
        'check that this is a Moodle site and that the account can use it',
      );
    }
    const first = Array.isArray(answer) ? answer[0] : undefined;
    if (!Array.isArray(answer) || typeof first !== 'object' || first === null)
      throw new InsperaLtiError(
        'MOODLE_NOT_ALLOWED',
        `${method}: ${this.wwwroot}/lib/ajax/service.php answered JSON that is not Moodle's answer to a call`,
        'check that this is a Moodle site (its wwwroot) and that nothing between rewrites its answers',
      );
    if (first.error) {
      const why = first?.exception?.message ?? 'no answer';
      throw new InsperaLtiError(
        'MOODLE_NOT_ALLOWED',
        `${method}: Moodle said "${why}"`,
        'use an administrator account (the call needs moodle/site:config)',
      );
    }
    return first.data as T;
  }
}
