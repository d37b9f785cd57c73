import { parseSetCookie } from '../http/set-cookie.js';
import type { BrowserStep } from './browser.js';

/** A HAR 1.2 document of a simulated launch, shaped like what Chrome's "Save all as HAR (with content)" writes. */
export function toHar(steps: readonly BrowserStep[], options: { withCookies?: boolean } = {}): Record<string, unknown> {
  const withCookies = options.withCookies !== false;
  const pairs = (record: Record<string, string>) =>
    Object.entries(record).flatMap(([name, value]) =>
      name === 'set-cookie' ? value.split('\n').map((v) => ({ name, value: v })) : [{ name, value }],
    );
  const entries = steps.map((step) => {
    const url = new URL(step.url);
    const requestHeaders = pairs(step.capture.requestHeaders).filter((h) => withCookies || h.name !== 'cookie');
    const responseHeaders = pairs(step.capture.responseHeaders).filter((h) => withCookies || h.name !== 'set-cookie');
    const cookieHeader = step.capture.requestHeaders.cookie ?? '';
    const setCookies = (step.capture.responseHeaders['set-cookie'] ?? '').split('\n').filter(Boolean);
    return {
      startedDateTime: step.capture.startedAt,
      time: step.capture.ms,
      request: {
        method: step.method,
        url: step.url,
        httpVersion: 'HTTP/1.1',
        headers: requestHeaders,
        queryString: [...url.searchParams].map(([name, value]) => ({ name, value })),
        cookies: withCookies
          ? cookieHeader
              .split(';')
              .map((c) => c.trim())
              .filter(Boolean)
              .map((c) => ({ name: c.split('=')[0], value: c.slice(c.indexOf('=') + 1) }))
          : [],
        headersSize: -1,
        bodySize: step.capture.requestBody?.length ?? 0,
        ...(step.capture.requestBody !== undefined
          ? {
              postData: {
                mimeType: 'application/x-www-form-urlencoded',
                text: step.capture.requestBody,
                params: [...new URLSearchParams(step.capture.requestBody)].map(([name, value]) => ({ name, value })),
              },
            }
          : {}),
      },
      response: {
        status: step.status,
        statusText: '',
        httpVersion: 'HTTP/1.1',
        headers: responseHeaders,
        cookies: withCookies
          ? setCookies
              .map(parseSetCookie)
              .filter((c) => c !== undefined)
              .map((c) => ({
                name: c.name,
                value: c.value,
                httpOnly: c.httpOnly,
                secure: c.secure,
                ...(c.sameSite ? { sameSite: c.sameSite } : {}),
              }))
          : [],
        content: {
          size: step.capture.responseBody.length,
          mimeType: step.capture.responseHeaders['content-type'] ?? '',
          text: step.capture.responseBody,
        },
        redirectURL: step.location ?? '',
        headersSize: -1,
        bodySize: step.capture.responseBody.length,
      },
      cache: {},
      timings: { send: 0, wait: step.capture.ms, receive: 0 },
    };
  });
  const comment = withCookies
    ? 'Holds credentials: the session cookies, sesskey and signed id_token of this run. Share it only as you would ' +
      'a password; inspera-lti logs out of a real Moodle at the end of a run, which ends that session.'
    : 'Cookies left out.';
  return {
    log: { version: '1.2', creator: { name: 'inspera-lti simulate', version: '1', comment }, pages: [], entries },
  };
}
