import { Agent, EnvHttpProxyAgent, type Dispatcher } from 'undici';
import { dispatch } from './dispatch.js';
import type { HttpTrace } from './trace.js';

export interface HttpRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** The whole exchange, headers and body, within this long (not only idle time). */
  timeoutMs?: number;
  /** Bodies larger than this are cut off and flagged (never read unbounded). */
  maxBytes?: number;
}

export interface HttpResponse {
  url: string;
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body: string;
  truncated: boolean;
}

/**
 * One HTTP client for the simulators and checks. `routes` maps public origins (https://moodle.example.edu) to the
 * loopback servers that play them, so the simulated world uses the configured URLs exactly as they stand.
 */
export class HttpClient {
  private readonly agent: Dispatcher;
  constructor(
    private readonly routes: Map<string, string> = new Map(),
    private readonly defaults: {
      timeoutMs?: number;
      maxBytes?: number;
      offline?: boolean;
      trace?: HttpTrace;
      /** Go through HTTP(S)_PROXY / NO_PROXY from this environment (a real Moodle behind an institution's proxy). */
      proxyEnv?: NodeJS.ProcessEnv;
    } = {},
  ) {
    const env = defaults.proxyEnv;
    const httpProxy = env?.HTTP_PROXY || env?.http_proxy;
    const httpsProxy = env?.HTTPS_PROXY || env?.https_proxy;
    const noProxy = env?.NO_PROXY || env?.no_proxy;
    this.agent =
      httpProxy || httpsProxy
        ? new EnvHttpProxyAgent({
            keepAliveTimeout: 2_000,
            proxyTunnel: false,
            ...(httpProxy ? { httpProxy } : {}),
            ...(httpsProxy ? { httpsProxy } : {}),
            ...(noProxy ? { noProxy } : {}),
          })
        : new Agent({ keepAliveTimeout: 2_000, connections: 64, pipelining: 1 });
  }

  /** The time a request may take unless it says otherwise. */
  get timeoutMs(): number {
    return this.defaults.timeoutMs ?? 10_000;
  }

  addRoute(publicOrigin: string, target: string): void {
    this.routes.set(publicOrigin.toLowerCase(), target);
  }

  async send(req: HttpRequest): Promise<HttpResponse> {
    const trace = this.defaults.trace;
    if (!trace) return this.exchange(req);
    const started = Date.now();
    const sent = { method: req.method ?? 'GET', url: req.url, requestHeaders: req.headers ?? {} };
    const withBody = req.body !== undefined ? { requestBody: req.body } : {};
    try {
      const response = await this.exchange(req);
      trace({
        ...sent,
        ...withBody,
        status: response.status,
        statusText: response.statusText,
        responseHeaders: response.headers,
        responseBody: response.body,
        ms: Date.now() - started,
      });
      return response;
    } catch (error) {
      trace({ ...sent, ...withBody, error: (error as Error).message, ms: Date.now() - started });
      throw error;
    }
  }

  private async exchange(req: HttpRequest): Promise<HttpResponse> {
    const parsed = new URL(req.url);
    const routedTo = this.routes.get(parsed.origin.toLowerCase());
    const timeout = req.timeoutMs ?? this.defaults.timeoutMs ?? 10_000;
    const maxBytes = req.maxBytes ?? this.defaults.maxBytes ?? 5 * 1024 * 1024;
    if (!routedTo && this.defaults.offline) {
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${parsed.hostname} (not part of the simulated world)`), {
        code: 'ENOTFOUND',
      });
    }
    const headers: Record<string, string> = { ...(req.headers ?? {}) };
    if (routedTo) headers.host = parsed.host;
    const origin = routedTo ?? parsed.origin;
    if (!/^https?:\/\//.test(origin)) throw new TypeError(`not an http(s) URL: ${req.url}`);
    const answer = await dispatch(
      this.agent,
      {
        origin,
        path: parsed.pathname + parsed.search,
        method: req.method ?? 'GET',
        headers,
        ...(req.body !== undefined ? { body: req.body } : {}),
        headersTimeout: timeout,
        bodyTimeout: timeout,
      },
      maxBytes,
      timeout,
    );
    const flat: Record<string, string> = {};
    for (const [name, value] of Object.entries(answer.headers))
      flat[name] = Array.isArray(value) ? value.join(name === 'set-cookie' ? '\n' : ', ') : String(value ?? '');
    return {
      url: req.url,
      status: answer.status,
      statusText: answer.statusText,
      headers: flat,
      body: answer.text,
      truncated: answer.truncated,
    };
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}
