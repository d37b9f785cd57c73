import type { Prober } from './probe.js';
import type { HttpTrace } from './trace.js';

/** A prober that tells the trace of every hop it made: each redirect, then the answer or the failure. */
export function tracedProber(prober: Prober, trace: HttpTrace): Prober {
  return {
    get insecure() {
      return prober.insecure;
    },
    close: () => prober.close(),
    async probe(url, options) {
      const result = await prober.probe(url, options);
      const requestHeaders = options.headers ?? {};
      const method = options.method ?? 'GET';
      for (const hop of result.redirects)
        trace({
          method,
          url: hop.url,
          requestHeaders,
          status: hop.status,
          responseHeaders: hop.location ? { location: hop.location } : {},
          ms: 0,
        });
      const last = result.ok ? result.finalUrl : (result.redirects.at(-1)?.location ?? url);
      const sent = {
        method: result.redirects.length ? 'GET' : method,
        url: last,
        requestHeaders,
        ...(options.body !== undefined && !result.redirects.length ? { requestBody: options.body } : {}),
        ms: result.elapsedMs,
      };
      if (result.ok)
        trace({
          ...sent,
          status: result.status,
          statusText: result.reason,
          responseHeaders: result.headers,
          responseBody: result.body,
        });
      else trace({ ...sent, error: result.failure.message });
      return result;
    },
  };
}
