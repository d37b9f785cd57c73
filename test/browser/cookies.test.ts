import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { chromium, type Browser as Chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../../src/http/client.js';
import { Browser } from '../../src/sim/browser.js';

/**
 * The CLI's browser keeps and sends cookies as Chromium does on the LTI flow's cross-site POSTs: both are put through
 * the same pages — a tool (127.0.0.1) sets its cookies, then a page on another site (localhost) posts to it, at top
 * level and from inside an iframe — and what reached the tool is compared.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function listen(
  handler: (req: IncomingMessage, res: import('node:http').ServerResponse) => void,
): Promise<{ server: Server; port: number }> {
  const server = createServer(handler);
  return new Promise((r) =>
    server.listen(0, '127.0.0.1', () => r({ server, port: (server.address() as AddressInfo).port })),
  );
}

describe("cookies on a cross-site POST: the CLI's browser and Chromium", () => {
  let chromiumBrowser: Chromium;
  let tool: { server: Server; port: number };
  let other: { server: Server; port: number };
  const seen: string[] = [];
  const http = new HttpClient();
  const toolUrl = (path: string) => `http://127.0.0.1:${tool.port}${path}`;
  const otherUrl = (path: string) => `http://localhost:${other.port}${path}`;
  const names = (header: string) =>
    header
      .split(/;\s*/)
      .filter(Boolean)
      .map((c) => c.split('=')[0]!)
      .sort();

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`);
    const autoPost = (action: string) =>
      `<html><body><form method="post" action="${action}"><input ` +
      `name="id_token" value="x"></form><script>document.forms[0].submit()</script></body></html>`;
    tool = await listen((req, res) => {
      if (req.url === '/set')
        return void res
          .writeHead(200, {
            'set-cookie': ['plain=1; Path=/', 'lax=1; Path=/; SameSite=Lax'],
            'content-type': 'text/html',
          })
          .end('set');
      if (req.url === '/framed')
        return void res.writeHead(200, { 'content-type': 'text/html' }).end(autoPost('/check'));
      // Only the form's POST counts (Chromium also asks for /favicon.ico, with every cookie: same-origin).
      if (req.method !== 'POST' || req.url !== '/check') return void res.writeHead(404).end();
      req.resume();
      req.on('end', () => {
        seen.push(String(req.headers.cookie ?? ''));
        res.writeHead(200, { 'content-type': 'text/html' }).end('checked');
      });
    });
    other = await listen((req, res) => {
      if (req.url === '/top')
        return void res.writeHead(200, { 'content-type': 'text/html' }).end(autoPost(toolUrl('/check')));
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(`<html><body><iframe src="${toolUrl('/framed')}"></iframe></body></html>`);
    });
    chromiumBrowser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'],
    });
  });
  afterAll(async () => {
    await chromiumBrowser?.close();
    await http.close();
    for (const s of [tool, other]) if (s) await new Promise<void>((r) => s.server.close(() => r()));
  });

  /** Chromium: visit the tool (it sets the cookies), then the other site's page; what the tool's /check received. */
  async function inChromium(page: string): Promise<string[]> {
    const context = await chromiumBrowser.newContext();
    const tab = await context.newPage();
    await tab.goto(toolUrl('/set'));
    const before = seen.length;
    await tab.goto(otherUrl(page));
    for (let i = 0; seen.length === before && i < 100; i++) await new Promise((r) => setTimeout(r, 50));
    await context.close();
    return names(seen[before] ?? 'no-request');
  }

  it('at top level, a fresh cookie that named no SameSite goes along; an explicit Lax one does not', async () => {
    const browser = new Browser(http);
    await browser.go('GET', toolUrl('/set'));
    const before = seen.length;
    await browser.go('POST', toolUrl('/check'), { id_token: 'x' }, 0, new URL(otherUrl('/top')));
    const ours = names(seen[before]!);
    expect(await inChromium('/top')).toEqual(ours);
    expect(ours).toEqual(['plain']);
  });

  it('from inside an iframe of another site, neither goes', async () => {
    const browser = new Browser(http);
    await browser.go('GET', toolUrl('/set'));
    browser.topSite = 'http://localhost';
    const before = seen.length;
    await browser.go('POST', toolUrl('/check'), { id_token: 'x' }, 0, new URL(toolUrl('/framed')));
    const ours = names(seen[before]!);
    expect(await inChromium('/frame')).toEqual(ours);
    expect(ours).toEqual([]);
  });
});
