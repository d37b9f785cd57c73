import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InsperaLtiError } from '../errors.js';
import { decodeForm } from '../util/form.js';

export interface ParsedRequest {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  /**
   * Form fields from the query string and, for a urlencoded POST, the body (body wins, like PHP's $_REQUEST order
   * here).
   */
  params: URLSearchParams;
  body: string;
  contentType: string;
  cookies: Record<string, string>;
}

export type Handler = (request: ParsedRequest, response: ServerResponse) => void | Promise<void>;

const MAX_BODY = 1024 * 1024;

function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const raw = part.slice(eq + 1).trim();
    // Another app on the same host may set any cookie (other_app=50%off): an undecodable value is kept as it is.
    let value = raw;
    try {
      value = decodeURIComponent(raw);
    } catch {
      value = raw;
    }
    cookies[part.slice(0, eq).trim()] = value;
  }
  return cookies;
}

/** How long the rest of a refused upload is read and dropped before the connection is cut. */
const LINGER_MS = 5_000;

/** A request the server refuses as a client's error (413, 400), not its own failure (500). */
class BadRequest extends Error {
  constructor(
    readonly status: 413 | 400,
    message: string,
  ) {
    super(message);
  }
}

// Events rather than `for await`: an async iterator per request costs more than the rest of reading a small form.
function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        request.removeAllListeners('data');
        request.resume();
        reject(new BadRequest(413, `request body over ${MAX_BODY / 1024 / 1024} MiB`));
        return;
      }
      chunks.push(chunk);
    });
    request.once('end', () =>
      resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')),
    );
    request.once('error', reject);
  });
}

async function parseRequest(request: IncomingMessage, origin: string): Promise<ParsedRequest> {
  let url: URL;
  try {
    url = new URL(request.url ?? '/', origin);
  } catch {
    throw new BadRequest(400, 'not a request target');
  }
  const body = request.method === 'GET' || request.method === 'HEAD' ? '' : await readBody(request);
  const contentType = String(request.headers['content-type'] ?? '');
  const params = new URLSearchParams(url.search);
  if (contentType.split(';')[0]!.trim() === 'application/x-www-form-urlencoded') {
    for (const [key, value] of decodeForm(body)) params.set(key, value);
  }
  return {
    method: request.method ?? 'GET',
    url,
    headers: request.headers,
    params,
    body,
    contentType,
    cookies: parseCookies(request.headers.cookie),
  };
}

export function send(
  response: ServerResponse,
  status: number,
  body: string | Buffer,
  headers: Record<string, string | string[]> = {},
  reason?: string,
): void {
  if (reason !== undefined) response.statusMessage = reason;
  response.writeHead(status, { 'content-length': Buffer.byteLength(body), ...headers });
  response.end(body);
}

export function sendJson(
  response: ServerResponse,
  status: number,
  value: unknown,
  contentType = 'application/json; charset=utf-8',
): void {
  send(response, status, JSON.stringify(value, null, 4), { 'content-type': contentType });
}

export function sendHtml(
  response: ServerResponse,
  status: number,
  html: string,
  headers: Record<string, string | string[]> = {},
): void {
  send(response, status, html, { 'content-type': 'text/html; charset=utf-8', ...headers });
}

export function redirect(
  response: ServerResponse,
  location: string,
  headers: Record<string, string | string[]> = {},
): void {
  send(response, 302, '', { location, ...headers });
}

export interface RunningServer {
  server: Server;
  /** http://127.0.0.1:port */
  origin: string;
  port: number;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 (port 0 = a free one). A handler that throws answers 500, never crashes. */
export async function startServer(
  handler: Handler,
  options: {
    port?: number;
    host?: string;
    onError?: (error: unknown) => void;
    /** The flag that chose the port, for the message when it is taken (--port; simulate's --tool-port). */
    portFlag?: string;
  } = {},
): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  let origin = '';
  const server = createServer((request, response) => {
    parseRequest(request, origin)
      .then((parsed) => handler(parsed, response))
      .catch((error: unknown) => {
        if (error instanceof BadRequest) {
          const reason = error.status === 413 ? 'Payload Too Large' : 'Bad Request';
          // The rest of an oversized body is read and dropped after the answer, for a while (a lingering close, as
          // nginx does): closing at once resets the connection under a client still sending, before it reads the
          // answer. A body that does not end by then loses its connection.
          if (!response.headersSent)
            send(response, error.status, `${reason}: ${error.message}\n`, {
              'content-type': 'text/plain',
              ...(request.complete ? { connection: 'close' } : {}),
            });
          if (!request.complete) {
            const linger = setTimeout(() => request.socket.destroy(), LINGER_MS);
            linger.unref();
            request.once('end', () => clearTimeout(linger));
          }
          return;
        }
        options.onError?.(error);
        if (!response.headersSent) send(response, 500, 'Internal Server Error', { 'content-type': 'text/plain' });
        else response.destroy();
      });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const port = options.port ?? 0;
      if (error.code === 'EADDRINUSE')
        reject(
          new InsperaLtiError(
            'INVALID_VALUE',
            `port ${port} on ${host} is already in use`,
            `choose another ${options.portFlag ?? '--port'}, or 0 for any free port`,
          ),
        );
      else if (error.code === 'EACCES')
        reject(
          new InsperaLtiError(
            'INVALID_VALUE',
            `not allowed to listen on port ${port}`,
            'use a port above 1024, or 0 for any free port',
          ),
        );
      else if (error.code === 'EADDRNOTAVAIL')
        reject(
          new InsperaLtiError(
            'INVALID_VALUE',
            `--host ${host} is not an address of this machine`,
            "use 127.0.0.1 (the default), 0.0.0.0 for every interface, or one of this machine's own addresses",
          ),
        );
      else if (error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN')
        reject(
          new InsperaLtiError(
            'INVALID_VALUE',
            `--host ${host} is not an address or a known host name`,
            "use 127.0.0.1 (the default), 0.0.0.0, or one of this machine's own addresses",
          ),
        );
      else reject(error);
    });
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  // Listening on every interface still means "reach me at loopback" for the URLs we print and build.
  const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  origin = `http://${reachable}:${port}`;
  return {
    server,
    origin,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
