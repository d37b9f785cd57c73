import type { ServerResponse } from 'node:http';
import { send, type ParsedRequest } from '../http-server.js';
import type { PlatformState } from './state.js';
import type { PlatformSetup } from './types.js';

/** What a service resource runs with: the platform, its state and the request as services.php reads it. */
export interface ServiceContext {
  setup: PlatformSetup;
  state: PlatformState;
  request: ParsedRequest;
  /** For a GET the Accept header, else the request's content type (without parameters), as services.php keeps them. */
  accept: string;
  contentType: string;
}

/** mod_lti's ltiservice\response: what a resource sets while it runs; `sendService` writes it as Moodle does. */
export interface ServiceAnswer {
  code: number;
  reason?: string;
  body?: string;
  contentType?: string;
  headers?: Record<string, string>;
  /** What the request log says of it (default: the status and reason). */
  note?: string;
}

const REASONS: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  300: 'Multiple Choices',
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
  501: 'Not Implemented',
};

/** response::get_reason: the one set, else the code's, else its class's (204 → "OK"). */
export function reasonFor(code: number, reason?: string): string {
  const c = code < 200 || code >= 600 ? 500 : code;
  return reason || REASONS[c] || REASONS[Math.floor(c / 100) * 100]!;
}

/**
 * response::send: the status line carries the reason; a 2xx or a non-empty body goes out with its content type
 * (`; charset=utf-8`); an error without a body becomes the pretty-printed {status, reason, request} document.
 * PHP's header() refuses a status line with a line break, so such an answer goes out as 200 (derived, not observed).
 */
export function sendService(response: ServerResponse, request: ParsedRequest, answer: ServiceAnswer): string {
  const reason = reasonFor(answer.code, answer.reason);
  const status = /[\r\n]/.test(reason) ? 200 : answer.code;
  // The status line loses its trailing space on the way (a reason ending in an empty content type).
  const line = status === answer.code ? reason.trimEnd() : 'OK';
  const headers: Record<string, string> = { ...(answer.headers ?? {}) };
  let body = '';
  if ((answer.code >= 200 && answer.code < 300) || answer.body) {
    // With no content type of its own PHP sends its default.
    headers['content-type'] = answer.contentType ? `${answer.contentType}; charset=utf-8` : 'text/html; charset=utf-8';
    body = answer.body ?? '';
  } else if (answer.code >= 400) {
    headers['content-type'] = 'application/json; charset=utf-8';
    const accept = request.headers.accept;
    body = JSON.stringify(
      {
        status: answer.code,
        reason,
        request: {
          method: request.method,
          url: request.url.pathname + request.url.search,
          ...(accept !== undefined ? { accept: String(accept) } : {}),
          ...(request.headers['content-type'] !== undefined
            ? { contentType: String(request.headers['content-type']).split(';')[0] }
            : {}),
        },
      },
      null,
      4,
    );
  }
  // A Buffer body makes Node write the headers on their own, byte for byte (see lineItemsLinks).
  send(response, status, Buffer.from(body, 'utf8'), headers, line);
  return answer.note ?? `${answer.code} ${reason.split(/[\r\n]/)[0]!.slice(0, 80)}`;
}
