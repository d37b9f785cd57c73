import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../../src/http/client.js';

let server: Server;
let origin = '';
const seen: Array<{ host?: string; body: string }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', () => {
      seen.push({ ...(req.headers.host ? { host: req.headers.host } : {}), body });
      if (req.url === '/big')
        return void res.writeHead(200, { 'content-type': 'text/plain' }).end('x'.repeat(2_000_000));
      if (req.url === '/hang-body') return void res.writeHead(200, { 'content-type': 'text/plain' }).write('partial');
      res.statusMessage = 'Fine Indeed';
      res.writeHead(201, {
        'set-cookie': ['a=1; path=/', 'b=2; path=/; HttpOnly'],
        'x-two': ['p', 'q'],
        'content-type': 'text/html; charset=utf-8',
      });
      res.end('Åse');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(
  () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
);

describe('HttpClient.send', () => {
  it('answers status, reason, headers (Set-Cookie lines apart, others joined) and the body as UTF-8', async () => {
    const http = new HttpClient();
    const answer = await http.send({
      method: 'POST',
      url: `${origin}/x?q=1`,
      body: 'a=b',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(answer).toMatchObject({
      status: 201,
      statusText: 'Fine Indeed',
      body: 'Åse',
      truncated: false,
      url: `${origin}/x?q=1`,
    });
    expect(answer.headers['set-cookie']).toBe('a=1; path=/\nb=2; path=/; HttpOnly');
    expect(answer.headers['x-two']).toBe('p, q');
    expect(seen.at(-1)!.body).toBe('a=b');
    await http.close();
  });

  it('a routed public origin reaches the loopback server with the public Host header', async () => {
    const http = new HttpClient(new Map([['https://moodle.example.edu', origin]]), { offline: true });
    expect((await http.send({ url: 'https://moodle.example.edu/mod/lti/certs.php' })).status).toBe(201);
    expect(seen.at(-1)!.host).toBe('moodle.example.edu');
    await expect(http.send({ url: 'https://elsewhere.example/' })).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await http.close();
  });

  it('stops reading at the limit and says the body was cut off', async () => {
    const http = new HttpClient(new Map(), { maxBytes: 1000 });
    const answer = await http.send({ url: `${origin}/big` });
    expect(answer.truncated).toBe(true);
    expect(answer.body).toHaveLength(1000);
    // The client still works after giving up on an answer.
    expect((await http.send({ url: `${origin}/x` })).status).toBe(201);
    await http.close();
  });

  it('a body that never ends times out, and a refused connection says so', async () => {
    const http = new HttpClient(new Map(), { timeoutMs: 300 });
    await expect(http.send({ url: `${origin}/hang-body` })).rejects.toMatchObject({ code: 'UND_ERR_BODY_TIMEOUT' });
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    await expect(http.send({ url: `http://127.0.0.1:${port}/` })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await http.close();
  });
});
