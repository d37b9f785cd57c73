import { rootCertificates } from 'node:tls';
import { Agent, EnvHttpProxyAgent, request, type Dispatcher } from 'undici';
import { classifyNetworkError, type NetworkFailure } from './network-error.js';
import { readBounded } from './read-bounded.js';

export interface ProbeOptions {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Whole-request budget: connect, headers, body and redirects together. */
  timeoutMs: number;
  maxBytes?: number;
  maxRedirects?: number;
  /** Follow redirects (GET only, as a browser would after a 301/302/303). */
  followRedirects?: boolean;
}

export interface ProbeHop {
  url: string;
  status: number;
  location?: string;
}

export interface ProbeAnswer {
  ok: true;
  url: string;
  finalUrl: string;
  status: number;
  reason: string;
  headers: Record<string, string>;
  /** Each Set-Cookie line apart (joined in `headers`, where an Expires date's comma would run them together). */
  setCookies: string[];
  body: string;
  truncated: boolean;
  redirects: ProbeHop[];
  /** Local time (ms) at the middle of the request, for clock-skew against the Date header. */
  midpointMs: number;
  elapsedMs: number;
}

export type ProbeResult =
  | ProbeAnswer
  | { ok: false; url: string; failure: NetworkFailure; redirects: ProbeHop[]; elapsedMs: number };

export interface Prober {
  probe(url: string, options: ProbeOptions): Promise<ProbeResult>;
  close(): Promise<void>;
  /** True when certificate checks are off (--insecure). */
  insecure: boolean;
}

const DEFAULT_MAX_BYTES = 1024 * 1024;

/**
 * An HTTP client for checks against live servers: honours HTTP(S)_PROXY/NO_PROXY, bounds every request in time and
 * size, follows redirects itself (to see loops and cross-host hops), and never throws — failures come back named.
 */
export function createProber(options: { insecure?: boolean; env?: NodeJS.ProcessEnv; extraCa?: string } = {}): Prober {
  const env = options.env ?? process.env;
  // An extra CA (an institution's own, or a test CA) is trusted in addition to the public roots.
  const connect = {
    rejectUnauthorized: !options.insecure,
    ...(options.extraCa ? { ca: [...rootCertificates, options.extraCa] } : {}),
  };
  const httpProxy = env.HTTP_PROXY || env.http_proxy;
  const httpsProxy = env.HTTPS_PROXY || env.https_proxy;
  const noProxy = env.NO_PROXY || env.no_proxy;
  const dispatcher: Dispatcher =
    httpProxy || httpsProxy
      ? new EnvHttpProxyAgent({
          connect,
          keepAliveTimeout: 1_000,
          // Plain http goes to the proxy as an absolute-URL request; CONNECT is kept for https (proxies often refuse
          // CONNECT to port 80).
          proxyTunnel: false,
          ...(httpProxy ? { httpProxy } : {}),
          ...(httpsProxy ? { httpsProxy } : {}),
          ...(noProxy ? { noProxy } : {}),
        })
      : new Agent({ connect, keepAliveTimeout: 1_000 });

  // A hard bound around each probe: some phases (a proxy tunnel) do not heed the abort signal.
  const probe = (url: string, probeOptions: ProbeOptions): Promise<ProbeResult> => {
    let timer: NodeJS.Timeout | undefined;
    const host = (() => {
      try {
        return new URL(url).host;
      } catch {
        return url;
      }
    })();
    const bound = new Promise<ProbeResult>((resolve) => {
      timer = setTimeout(
        () =>
          resolve({
            ok: false,
            url,
            failure: { kind: 'timeout', message: `${host} did not answer within ${probeOptions.timeoutMs / 1000} s` },
            redirects: [],
            elapsedMs: probeOptions.timeoutMs,
          }),
        probeOptions.timeoutMs + 250,
      );
    });
    return Promise.race([attempt(url, probeOptions), bound]).finally(() => clearTimeout(timer));
  };

  const attempt = async (url: string, probeOptions: ProbeOptions): Promise<ProbeResult> => {
    const started = Date.now();
    const redirects: ProbeHop[] = [];
    const seen = new Set<string>();
    const maxBytes = probeOptions.maxBytes ?? DEFAULT_MAX_BYTES;
    const signal = AbortSignal.timeout(probeOptions.timeoutMs);
    let current = url;
    let method = probeOptions.method ?? 'GET';
    let body = probeOptions.body;
    for (let hop = 0; ; hop++) {
      let host = current;
      try {
        host = new URL(current).host;
      } catch {
        return {
          ok: false,
          url,
          failure: { kind: 'bad-url', message: `${JSON.stringify(current)} is not a URL` },
          redirects,
          elapsedMs: Date.now() - started,
        };
      }
      try {
        const sent = Date.now();
        const response = await request(current, {
          method,
          dispatcher,
          signal,
          headers: { 'user-agent': 'inspera-lti (LTI 1.3 validate)', ...(probeOptions.headers ?? {}) },
          ...(body !== undefined ? { body } : {}),
          headersTimeout: probeOptions.timeoutMs,
          bodyTimeout: probeOptions.timeoutMs,
        });
        const received = Date.now();
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(response.headers))
          headers[name] = Array.isArray(value) ? value.join(', ') : String(value ?? '');
        const location = headers.location;
        if (
          probeOptions.followRedirects !== false &&
          response.statusCode >= 300 &&
          response.statusCode < 400 &&
          location
        ) {
          await response.body.dump();
          const next = new URL(location, current).toString();
          redirects.push({ url: current, status: response.statusCode, location: next });
          if (seen.has(next) || next === current) {
            return {
              ok: false,
              url,
              failure: {
                kind: 'redirect-loop',
                message: `redirect loop: ${[...redirects.map((r) => r.url), next].join(' → ')}`,
              },
              redirects,
              elapsedMs: Date.now() - started,
            };
          }
          if (hop >= (probeOptions.maxRedirects ?? 5)) {
            return {
              ok: false,
              url,
              failure: { kind: 'too-many-redirects', message: `more than ${probeOptions.maxRedirects ?? 5} redirects` },
              redirects,
              elapsedMs: Date.now() - started,
            };
          }
          seen.add(current);
          current = next;
          if (response.statusCode !== 307 && response.statusCode !== 308) {
            method = 'GET';
            body = undefined;
          }
          continue;
        }
        const { text, truncated } = await readBounded(response.body, maxBytes);
        const setCookie = response.headers['set-cookie'];
        return {
          ok: true,
          url,
          finalUrl: current,
          status: response.statusCode,
          reason: response.statusText ?? '',
          headers,
          setCookies: setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [setCookie],
          body: text,
          truncated,
          redirects,
          midpointMs: (sent + received) / 2,
          elapsedMs: Date.now() - started,
        };
      } catch (error) {
        const failure = signal.aborted
          ? { kind: 'timeout' as const, message: `${host} did not answer within ${probeOptions.timeoutMs / 1000} s` }
          : classifyNetworkError(error, host, probeOptions.timeoutMs);
        return { ok: false, url, failure, redirects, elapsedMs: Date.now() - started };
      }
    }
  };
  return { probe, close: () => dispatcher.close(), insecure: options.insecure === true };
}
