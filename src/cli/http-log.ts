import { redact } from '../util/redact.js';
import type { HttpExchange, HttpTrace } from '../http/trace.js';
import { printable } from '../util/printable.js';
import type { Output } from './output.js';

const BODY_SHOWN = 400;

/** A header's value as --verbose may show it: cookies and credentials never. */
function headerValue(name: string, value: string): string {
  const lower = name.toLowerCase();
  if (lower === 'authorization' || lower === 'proxy-authorization') return value.replace(/^(\S+\s+).*/, '$1[redacted]');
  if (lower === 'cookie') return value.replace(/=([^;]*)/g, '=[redacted]');
  if (lower === 'set-cookie') return value.replace(/^([^=;\n]+)=([^;\n]*)/gm, '$1=[redacted]');
  return redact(value);
}

function headerLines(headers: Record<string, string>): string[] {
  return Object.entries(headers).flatMap(([name, value]) =>
    value.split('\n').map((one) => `      ${name}: ${printable(headerValue(name, one), 300)}`),
  );
}

function bodyLine(body: string | undefined): string[] {
  if (!body) return [];
  const shown = printable(redact(body).replace(/\s+/g, ' ').trim(), BODY_SHOWN);
  return [`      ${shown}${body.length > BODY_SHOWN ? ` (${body.length} bytes)` : ''}`];
}

function exchangeLines(exchange: HttpExchange): string[] {
  const answer = exchange.error
    ? `  ← no answer after ${exchange.ms} ms: ${printable(exchange.error, 300)}`
    : `  ← ${exchange.status} ${printable(exchange.statusText ?? '', 80)} in ${exchange.ms} ms`;
  return [
    `→ ${exchange.method} ${printable(redact(exchange.url), 500)}`,
    ...headerLines(exchange.requestHeaders),
    ...bodyLine(exchange.requestBody),
    answer,
    ...headerLines(exchange.responseHeaders ?? {}),
    ...bodyLine(exchange.responseBody),
  ];
}

/** With --verbose, every request and answer on stderr, secrets redacted; otherwise no trace at all. */
export function httpLog(out: Output): HttpTrace | undefined {
  if (out.detail !== 'verbose') return undefined;
  return (exchange) => {
    for (const line of exchangeLines(exchange)) out.log(line);
  };
}
