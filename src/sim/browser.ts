import type { HttpClient, HttpResponse } from '../http/client.js';
import { parseSetCookie } from '../http/set-cookie.js';
import { encodeForm } from '../util/form.js';
import { siteOf } from '../util/site.js';
import { autoSubmittedForm, type HtmlForm } from '../util/html.js';

export interface BrowserStep {
  n: number;
  method: string;
  url: string;
  /** Form fields sent (POST) or query parameters (GET). */
  sent: Record<string, string>;
  status: number;
  /** Where a redirect pointed. */
  location?: string;
  /** The auto-submitting form the answer held, if any. */
  form?: HtmlForm;
  /** A person's reading of the answer, filled in by the flow. */
  note?: string;
  cookiesSent: string[];
  cookiesSet: string[];
  /** What a browser's network log keeps (for a HAR capture): headers, the answer's body (bounded), timing. */
  capture: {
    startedAt: string;
    ms: number;
    requestHeaders: Record<string, string>;
    requestBody?: string;
    responseHeaders: Record<string, string>;
    responseBody: string;
  };
}

interface Cookie {
  name: string;
  value: string;
  path: string;
  /** As set; a cookie without the attribute is treated as Lax, as Chrome does (Lax by default). */
  sameSite: 'strict' | 'lax' | 'none';
  /** Lax because it said nothing: Chrome still sends such a cookie on a top-level cross-site POST for 2 minutes. */
  laxByDefault: boolean;
  /** When it was set (ms). */
  setAt: number;
  secure: boolean;
}

export { siteOf };

export const LAX_ALLOWING_UNSAFE_MS = 120_000;

/** Chrome 131 on Windows, the commonest browser in front of Moodle. */
export const CHROME_USER_AGENT =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** A login password never reaches a step, a report or a HAR capture. */
const SECRET_FIELDS = new Set(['password']);
function hideSecrets(fields: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, SECRET_FIELDS.has(k) && v ? '(hidden)' : v]));
}

/**
 * A headless browser for LTI flows: follows redirects, keeps cookies per host with the SameSite rules of current
 * browsers (a cross-site POST carries only SameSite=None; Secure cookies, a cross-site top-level GET also Lax ones),
 * submits auto-posting forms and records every step. It does not run scripts; the forms Moodle and tools use submit
 * on load, so it submits them.
 */
export class Browser {
  /** The steps of the current flow (a flow may clear them to reuse the browser and its cookies). */
  readonly steps: BrowserStep[] = [];
  private readonly jar = new Map<string, Cookie[]>();
  /** The site of the top-level page while the flow runs inside its iframe; undefined for a top-level flow. */
  topSite: string | undefined;
  /** The URL of the request under way or last made (for naming a network failure). */
  lastUrl: string | undefined;
  /** Set once a Moodle login succeeded (the testsession redirect), so load mode keeps the session. */
  loggedIn = false;

  /** Block third-party cookies (Safari, private windows, Chrome's phase-out): in an iframe, other sites get none. */
  constructor(
    private readonly http: HttpClient,
    private readonly options: { blockThirdPartyCookies?: boolean } = {},
  ) {}

  private thirdParty(url: URL): boolean {
    return this.options.blockThirdPartyCookies === true && this.topSite !== undefined && siteOf(url) !== this.topSite;
  }

  cookies(host: string): Cookie[] {
    return this.jar.get(host.toLowerCase()) ?? [];
  }

  private store(url: URL, header: string | undefined): string[] {
    const host = url.hostname;
    if (!header || this.thirdParty(url)) return [];
    const names: string[] = [];
    for (const line of header.split('\n')) {
      const cookie = parseSetCookie(line);
      if (!cookie) continue;
      const { name, value, path, secure } = cookie;
      const declared = cookie.sameSite?.toLowerCase();
      const sameSite = declared === 'none' || declared === 'strict' ? declared : 'lax';
      const laxByDefault = declared !== 'lax' && sameSite === 'lax';
      const list = this.cookies(host).filter((c) => c.name !== name);
      // Browsers reject SameSite=None without Secure.
      if (!(sameSite === 'none' && !secure))
        list.push({ name, value, path, sameSite, laxByDefault, setAt: Date.now(), secure });
      this.jar.set(host.toLowerCase(), list);
      names.push(name);
    }
    return names;
  }

  /**
   * A request is cross-site when its initiator, any earlier hop of its redirect chain, or (in an iframe) the top-level
   * page is another site. Cross-site, Lax cookies go only with a top-level GET navigation — never inside an iframe —
   * except that a cookie that named no SameSite and was set in the last two minutes also goes with a top-level POST
   * (Chrome's "Lax-allowing-unsafe"; Firefox and Safari do not make such cookies Lax at all): a tool's state cookie
   * set at the login initiation comes back with Moodle's id_token POST in a new window.
   */
  private cookieHeader(
    url: URL,
    method: string,
    initiator: URL | undefined,
    chain: string[],
  ): { header: string; names: string[] } {
    if (this.thirdParty(url)) return { header: '', names: [] };
    const site = siteOf(url);
    const crossSite =
      (initiator !== undefined && siteOf(initiator) !== site) ||
      chain.some((s) => s !== site) ||
      (this.topSite !== undefined && this.topSite !== site);
    const topLevel = this.topSite === undefined;
    const now = Date.now();
    const matching = this.cookies(url.hostname).filter(
      (c) =>
        url.pathname.startsWith(c.path) &&
        (!crossSite ||
          c.sameSite === 'none' ||
          (c.sameSite === 'lax' &&
            topLevel &&
            (method === 'GET' || (c.laxByDefault && now - c.setAt < LAX_ALLOWING_UNSAFE_MS)))),
    );
    return { header: matching.map((c) => `${c.name}=${c.value}`).join('; '), names: matching.map((c) => c.name) };
  }

  /** Let time pass for the cookies held now (their age decides Chrome's Lax-allowing-unsafe window). */
  ageCookies(ms: number): void {
    for (const list of this.jar.values()) for (const cookie of list) cookie.setAt -= ms;
  }

  /** One request, following redirects (each hop is a step); the last answer is returned. */
  async go(
    method: 'GET' | 'POST',
    url: string,
    fields: Record<string, string> = {},
    hops = 0,
    initiator?: URL,
    chain: string[] = [],
  ): Promise<{ response: HttpResponse; step: BrowserStep }> {
    if (hops > 10) throw new Error(`redirect loop at ${url}`);
    const target = new URL(url);
    this.lastUrl = url;
    const { header, names } = this.cookieHeader(target, method, initiator, chain);
    // What Chrome says of a navigation in its Sec-Fetch headers (a capture of this run shows the same evidence).
    const site = siteOf(target);
    const from = initiator ? siteOf(initiator) : undefined;
    const relation =
      from === undefined
        ? 'none'
        : from !== site || chain.some((s) => s !== site)
          ? 'cross-site'
          : initiator!.origin === target.origin
            ? 'same-origin'
            : 'same-site';
    const headers: Record<string, string> = {
      // The browser this model follows, by name: Moodle before MDL-83526 picks SameSite=None by it.
      'user-agent': CHROME_USER_AGENT,
      accept: 'text/html,application/xhtml+xml',
      'sec-fetch-dest': this.topSite === undefined ? 'document' : 'iframe',
      'sec-fetch-mode': 'navigate',
      'sec-fetch-site': relation,
    };
    if (header) headers.cookie = header;
    let body: string | undefined;
    if (method === 'POST') {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = encodeForm(fields);
    }
    const startedAt = new Date();
    const response = await this.http.send({ method, url, headers, ...(body !== undefined ? { body } : {}) });
    const cookiesSet = this.store(target, response.headers['set-cookie']);
    const step: BrowserStep = {
      n: this.steps.length + 1,
      method,
      url,
      sent: method === 'POST' ? hideSecrets(fields) : Object.fromEntries(target.searchParams),
      status: response.status,
      cookiesSent: names,
      cookiesSet,
      capture: {
        startedAt: startedAt.toISOString(),
        ms: Date.now() - startedAt.getTime(),
        requestHeaders: headers,
        ...(body !== undefined
          ? {
              requestBody: Object.keys(fields).some((k) => SECRET_FIELDS.has(k))
                ? encodeForm(hideSecrets(fields))
                : body,
            }
          : {}),
        responseHeaders: response.headers,
        responseBody: response.body.slice(0, 64 * 1024),
      },
    };
    this.steps.push(step);
    const location = response.headers.location;
    if (response.status >= 300 && response.status < 400 && location) {
      step.location = new URL(location, url).toString();
      // A redirect chain keeps the site that started it.
      return this.go('GET', step.location, {}, hops + 1, initiator, [...chain, siteOf(target)]);
    }
    const form = /text\/html/.test(response.headers['content-type'] ?? '')
      ? autoSubmittedForm(response.body)
      : undefined;
    if (form) step.form = form;
    return { response, step };
  }

  async submit(form: HtmlForm, base: string): Promise<{ response: HttpResponse; step: BrowserStep }> {
    const action = new URL(form.action || base, base).toString();
    const page = new URL(base);
    return form.method === 'post'
      ? this.go('POST', action, form.fields, 0, page)
      : this.go('GET', `${action}${action.includes('?') ? '&' : '?'}${encodeForm(form.fields)}`, {}, 0, page);
  }
}
