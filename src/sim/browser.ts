import type { HttpClient, HttpResponse } from '../http/client.js';
import { parseForm, type HtmlForm } from './html.js';

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
}

/**
 * A headless browser for LTI flows: follows redirects, keeps cookies per host, submits auto-posting forms and
 * records every step. It does not run scripts; the forms Moodle and tools use submit on load, so it submits them.
 */
export class Browser {
  /** The steps of the current flow (a flow may clear them to reuse the browser and its cookies). */
  readonly steps: BrowserStep[] = [];
  private readonly jar = new Map<string, Cookie[]>();

  constructor(private readonly http: HttpClient) {}

  cookies(host: string): Cookie[] {
    return this.jar.get(host.toLowerCase()) ?? [];
  }

  dropCookie(host: string, name: string): void {
    this.jar.set(host.toLowerCase(), this.cookies(host).filter((c) => c.name !== name));
  }

  private store(host: string, header: string | undefined): string[] {
    if (!header) return [];
    const names: string[] = [];
    for (const line of header.split('\n')) {
      const [pair, ...attributes] = line.split(';');
      const eq = pair!.indexOf('=');
      if (eq <= 0) continue;
      const name = pair!.slice(0, eq).trim();
      const path = attributes.map((a) => a.trim()).find((a) => /^path=/i.test(a))?.slice(5) || '/';
      const list = this.cookies(host).filter((c) => c.name !== name);
      list.push({ name, value: pair!.slice(eq + 1).trim(), path });
      this.jar.set(host.toLowerCase(), list);
      names.push(name);
    }
    return names;
  }

  private cookieHeader(url: URL): { header: string; names: string[] } {
    const matching = this.cookies(url.hostname).filter((c) => url.pathname.startsWith(c.path));
    return { header: matching.map((c) => `${c.name}=${c.value}`).join('; '), names: matching.map((c) => c.name) };
  }

  /** One request, following redirects (each hop is a step); the last answer is returned. */
  async go(method: 'GET' | 'POST', url: string, fields: Record<string, string> = {}, hops = 0): Promise<{ response: HttpResponse; step: BrowserStep }> {
    if (hops > 10) throw new Error(`redirect loop at ${url}`);
    const target = new URL(url);
    const { header, names } = this.cookieHeader(target);
    const headers: Record<string, string> = { accept: 'text/html,application/xhtml+xml' };
    if (header) headers.cookie = header;
    let body: string | undefined;
    if (method === 'POST') {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(fields).toString();
    }
    const startedAt = new Date();
    const response = await this.http.send({ method, url, headers, ...(body !== undefined ? { body } : {}) });
    const cookiesSet = this.store(target.hostname, response.headers['set-cookie']);
    const step: BrowserStep = {
      n: this.steps.length + 1, method, url,
      sent: method === 'POST' ? fields : Object.fromEntries(target.searchParams),
      status: response.status, cookiesSent: names, cookiesSet,
      capture: {
        startedAt: startedAt.toISOString(), ms: Date.now() - startedAt.getTime(), requestHeaders: headers,
        ...(body !== undefined ? { requestBody: body } : {}), responseHeaders: response.headers, responseBody: response.body.slice(0, 64 * 1024),
      },
    };
    this.steps.push(step);
    const location = response.headers.location;
    if (response.status >= 300 && response.status < 400 && location) {
      step.location = new URL(location, url).toString();
      return this.go('GET', step.location, {}, hops + 1);
    }
    const form = /text\/html/.test(response.headers['content-type'] ?? '') ? parseForm(response.body) : undefined;
    if (form) step.form = form;
    return { response, step };
  }

  async submit(form: HtmlForm, base: string): Promise<{ response: HttpResponse; step: BrowserStep }> {
    const action = new URL(form.action || base, base).toString();
    return form.method === 'post' ? this.go('POST', action, form.fields) : this.go('GET', `${action}${action.includes('?') ? '&' : '?'}${new URLSearchParams(form.fields)}`);
  }
}
