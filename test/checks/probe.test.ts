import { readFileSync } from 'node:fs';
import { createServer as createHttp, type Server } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyNetworkError } from '../../src/http/network-error.js';
import { createProber, type ProbeResult } from '../../src/http/probe.js';

const TLS = fileURLToPath(new URL('../../fixtures/tls/', import.meta.url));
const read = (name: string) => readFileSync(TLS + name, 'utf8');
const servers: Server[] = [];
const urls: Record<string, string> = {};

async function listen(name: string, server: Server, scheme = 'http'): Promise<void> {
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  urls[name] = `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  await listen(
    'plain',
    createHttp((req, res) => {
      if (req.url === '/loop-a') res.writeHead(302, { location: '/loop-b' }).end();
      else if (req.url === '/loop-b') res.writeHead(302, { location: '/loop-a' }).end();
      else if (req.url === '/huge') {
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, 'x');
        let sent = 0;
        const pump = () => {
          while (sent < 50 * 1024 * 1024) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        res.on('error', () => {});
        pump();
      } else
        res.writeHead(200, { 'content-type': 'application/json', date: new Date().toUTCString() }).end('{"ok":true}');
    }),
  );
  await listen(
    'hang',
    createHttp(() => {
      /* never answers */
    }),
  );
  await listen(
    'reset',
    createHttp((req) => req.socket.destroy()),
  );
  const tls = (cert: string, key: string) => ({ cert: read(cert), key: read(key) });
  const hello = (_req: unknown, res: { end(body: string): void }) => res.end('hello');
  await listen('tlsGood', createHttps(tls('server.pem', 'server.key'), hello) as unknown as Server, 'https');
  await listen('tlsExpired', createHttps(tls('expired.pem', 'server.key'), hello) as unknown as Server, 'https');
  await listen('tlsWrongHost', createHttps(tls('wronghost.pem', 'wronghost.key'), hello) as unknown as Server, 'https');
  await listen(
    'tlsSelfSigned',
    createHttps(tls('selfsigned.pem', 'selfsigned.key'), hello) as unknown as Server,
    'https',
  );
});
afterAll(() => {
  for (const server of servers) {
    server.closeAllConnections?.();
    server.close();
  }
});

const prober = createProber({ extraCa: read('ca.pem'), env: {} });
const probe = (url: string, timeoutMs = 2_000) => prober.probe(url, { timeoutMs });
const failureOf = (r: ProbeResult) => (r.ok ? undefined : r.failure);

describe('createProber: every network failure named', () => {
  it('reads a good answer with its Date header', async () => {
    const answer = await probe(`${urls.plain}/x`);
    expect(answer).toMatchObject({ ok: true, status: 200, body: '{"ok":true}', truncated: false, redirects: [] });
    if (!answer.ok) throw new Error('expected an answer');
    expect(Math.abs(Date.parse(answer.headers.date!) - answer.midpointMs)).toBeLessThan(2_000);
  });

  it('connection refused', async () => {
    const closed = createHttp();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    expect(failureOf(await probe(`http://127.0.0.1:${port}/`))).toMatchObject({ kind: 'refused' });
  });

  it('a hanging server costs the timeout, no more', async () => {
    const answer = await probe(`${urls.hang}/`, 300);
    expect(failureOf(answer)).toMatchObject({
      kind: 'timeout',
      message: expect.stringContaining('did not answer within 0.3 s'),
    });
  });

  it('a reset connection', async () => {
    expect(failureOf(await probe(`${urls.reset}/`))?.kind).toBe('reset');
  });

  it('a redirect loop', async () => {
    expect(failureOf(await probe(`${urls.plain}/loop-a`))).toMatchObject({
      kind: 'redirect-loop',
      message: expect.stringContaining('/loop-a → '),
    });
  });

  it('a huge body is cut off, never read whole', async () => {
    const answer = await prober.probe(`${urls.plain}/huge`, { timeoutMs: 5_000, maxBytes: 256 * 1024 });
    expect(answer.ok && answer.truncated).toBe(true);
    expect(answer.ok && answer.body.length).toBeLessThanOrEqual(256 * 1024);
  });

  it("a DNS name that does not exist (classified from the resolver's error: tests make no DNS queries)", () => {
    const error = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error('getaddrinfo ENOTFOUND moodle.example.invalid'), { code: 'ENOTFOUND' }),
    });
    expect(classifyNetworkError(error, 'moodle.example.invalid', 10_000)).toMatchObject({
      kind: 'dns',
      message: 'the DNS name moodle.example.invalid was not found',
    });
  });

  it.each([
    ['tlsExpired', 'tls-expired', 'has expired'],
    ['tlsWrongHost', 'tls-hostname', 'for another host name'],
    ['tlsSelfSigned', 'tls-untrusted', 'self-signed'],
  ])('TLS: %s', async (name, kind, words) => {
    expect(failureOf(await probe(`${urls[name]}/`))).toMatchObject({ kind, message: expect.stringContaining(words) });
  });

  it('goes through HTTP_PROXY, and around it for NO_PROXY hosts', async () => {
    const seen: string[] = [];
    const proxy = createHttp((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"via":"proxy"}');
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const viaProxy = createProber({ env: { HTTP_PROXY: proxyUrl, NO_PROXY: '127.0.0.1' } });
    try {
      // The proxy resolves the name: no DNS query is made here.
      const proxied = await viaProxy.probe('http://moodle.example.invalid/mod/lti/certs.php', { timeoutMs: 2_000 });
      expect(proxied.ok && proxied.body).toBe('{"via":"proxy"}');
      expect(seen).toEqual(['GET http://moodle.example.invalid/mod/lti/certs.php']);
      const direct = await viaProxy.probe(`${urls.plain}/x`, { timeoutMs: 2_000 });
      expect(direct.ok && direct.body).toBe('{"ok":true}');
      expect(seen).toHaveLength(1);
    } finally {
      await viaProxy.close();
      proxy.close();
    }
  });

  it('TLS: a certificate from a trusted CA passes; --insecure accepts an untrusted one', async () => {
    expect((await probe(`${urls.tlsGood}/`)).ok).toBe(true);
    const insecure = createProber({ insecure: true, env: {} });
    expect((await insecure.probe(`${urls.tlsSelfSigned}/`, { timeoutMs: 2_000 })).ok).toBe(true);
    await insecure.close();
  });
});
