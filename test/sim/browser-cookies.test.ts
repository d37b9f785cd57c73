import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../../src/http/client.js';
import { Browser, LAX_ALLOWING_UNSAFE_MS } from '../../src/sim/browser.js';

describe("the browser's cookies on a cross-site POST", () => {
  let server: Server;
  let origin = '';
  const http = new HttpClient();
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/set')
        return void res
          .writeHead(200, {
            'set-cookie': ['plain=1; Path=/', 'lax=1; Path=/; SameSite=Lax', 'none=1; Path=/; SameSite=None'],
          })
          .end('set');
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'text/plain' }).end(String(req.headers.cookie ?? '')));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await http.close();
    await new Promise<void>((r) => server.close(() => r()));
  });

  const postFromAnotherSite = async (browser: Browser) =>
    (await browser.go('POST', `${origin}/check`, { id_token: 'x' }, 0, new URL('http://localhost:9/mod/lti/auth.php')))
      .response.body;

  it(
    'a cookie that named no SameSite goes with a top-level POST for ' +
      'two minutes after it was set (Chrome), then not',
    async () => {
      const browser = new Browser(http);
      await browser.go('GET', `${origin}/set`);
      // SameSite=None without Secure is refused by browsers; an explicit Lax never goes with a cross-site POST.
      expect(await postFromAnotherSite(browser)).toBe('plain=1');
      browser.ageCookies(LAX_ALLOWING_UNSAFE_MS);
      expect(await postFromAnotherSite(browser)).toBe('');
    },
  );

  it('inside an iframe of another site it never goes, young or old', async () => {
    const browser = new Browser(http);
    await browser.go('GET', `${origin}/set`);
    browser.topSite = 'http://localhost';
    expect(await postFromAnotherSite(browser)).toBe('');
  });
});
