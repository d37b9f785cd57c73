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
      // Moodle's activity page framing the tool (Embed), and a top-level GET landing here (New window).
      if (req.url === '/view')
        return void res
          .writeHead(200, { 'content-type': 'text/html' })
          .end(`<html><body><iframe src="${otherUrl('/toolframe')}"></iframe></body></html>`);
      if (req.url === '/checkget') {
        seen.push(String(req.headers.cookie ?? ''));
        return void res.writeHead(200, { 'content-type': 'text/html' }).end('checked');
      }
      // auth.php without its session: the repost page, a same-site POST to itself that brings the cookie back.
      if (req.method === 'POST' && req.url === '/auth') {
        req.resume();
        return void req.on('end', () => {
          seen.push(String(req.headers.cookie ?? ''));
          res.writeHead(200, { 'content-type': 'text/html' }).end(autoPost('/check'));
        });
      }
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
      if (req.url === '/toolframe')
        return void res.writeHead(200, { 'content-type': 'text/html' }).end(autoPost(toolUrl('/auth')));
      if (req.url === '/newwindow')
        return void res
          .writeHead(200, { 'content-type': 'text/html' })
          .end(`<html><body><script>location.href = ${JSON.stringify(toolUrl('/checkget'))}</script></body></html>`);
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

  /**
   * Chromium: visit the tool (it sets the cookies), then a page; the cookies of the first `count` requests the tool
   * recorded.
   */
  async function inChromium(page: string, count = 1): Promise<string[][]> {
    const context = await chromiumBrowser.newContext();
    const tab = await context.newPage();
    await tab.goto(toolUrl('/set'));
    const before = seen.length;
    await tab.goto(page.startsWith('http') ? page : otherUrl(page));
    for (let i = 0; seen.length < before + count && i < 100; i++) await new Promise((r) => setTimeout(r, 50));
    await context.close();
    return seen.slice(before, before + count).map(names);
  }

  it('at top level, a fresh cookie that named no SameSite goes along; an explicit Lax one does not', async () => {
    const browser = new Browser(http);
    await browser.go('GET', toolUrl('/set'));
    const before = seen.length;
    await browser.go('POST', toolUrl('/check'), { id_token: 'x' }, 0, new URL(otherUrl('/top')));
    const ours = names(seen[before]!);
    expect(await inChromium('/top')).toEqual([ours]);
    expect(ours).toEqual(['plain']);
  });

  it('from inside an iframe of another site, neither goes', async () => {
    const browser = new Browser(http);
    await browser.go('GET', toolUrl('/set'));
    browser.topSite = 'http://localhost';
    const before = seen.length;
    await browser.go('POST', toolUrl('/check'), { id_token: 'x' }, 0, new URL(toolUrl('/framed')));
    const ours = names(seen[before]!);
    expect(await inChromium('/frame')).toEqual([ours]);
    expect(ours).toEqual([]);
  });

  it('a top-level GET from another site (New window, a redirect to auth.php): a Lax cookie goes along', async () => {
    const browser = new Browser(http);
    await browser.go('GET', toolUrl('/set'));
    const before = seen.length;
    await browser.go('GET', toolUrl('/checkget'), {}, 0, new URL(otherUrl('/newwindow')));
    const ours = names(seen[before]!);
    expect(await inChromium('/newwindow')).toEqual([ours]);
    expect(ours).toEqual(['lax', 'plain']);
  });

  it("Embed: the tool's cross-site POST in Moodle's iframe lacks the Lax cookie; the repost has it", async () => {
    const browser = new Browser(http);
    await browser.go('GET', toolUrl('/set'));
    browser.topSite = 'http://127.0.0.1';
    const before = seen.length;
    await browser.go('POST', toolUrl('/auth'), {}, 0, new URL(otherUrl('/toolframe')));
    await browser.go('POST', toolUrl('/check'), { id_token: 'x' }, 0, new URL(toolUrl('/auth')));
    const ours = seen.slice(before, before + 2).map(names);
    expect(await inChromium(toolUrl('/view'), 2)).toEqual(ours);
    expect(ours).toEqual([[], ['lax', 'plain']]);
  });
});
