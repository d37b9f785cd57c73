import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../src/errors.js';
import { HttpClient } from '../../src/http/client.js';
import { MoodleSession } from '../../src/moodle/admin/session.js';

/**
 * The admin password, the session cookie and the sesskey stay with the Moodle they belong to (issue 30, items 2, 5,
 * 6, 9): a Moodle on 127.0.0.1 whose pages try to send them elsewhere, and another host on 127.0.0.2 that records
 * everything that reaches it.
 */
type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;
let moodle: Server;
let elsewhere: Server;
let root: string;
let other: string;
let handle: Handler;
const reachedElsewhere: string[] = [];
const reachedMoodle: Array<{ path: string; cookie: string; body: string }> = [];

const LOGIN_FORM = (action = '/login/index.php') =>
  `<form class="login-form" action="${action}" method="post" id="login">` +
  '<input type="hidden" name="logintoken" value="t0k3n"><input name="username">' +
  '<input name="password" type="password">' +
  '</form>';

function serve(host: string, record: (req: IncomingMessage, body: string, res: ServerResponse) => void) {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => record(req, body, res));
  });
  return new Promise<Server>((resolve) => server.listen(0, host, () => resolve(server)));
}

/** A Moodle that logs anyone in and answers /my/ with a sesskey; `handle` may answer first. */
const normalMoodle: Handler = (req, body, res) => {
  const url = new URL(req.url ?? '/', root);
  if (url.pathname === '/login/index.php' && req.method === 'POST')
    return void res.writeHead(303, { location: `${root}/my/`, 'set-cookie': 'MoodleSession=s3ss; path=/' }).end();
  if (url.pathname === '/login/index.php')
    return void res.writeHead(200, { 'content-type': 'text/html' }).end(`<html>${LOGIN_FORM()}</html>`);
  if (url.pathname === '/my/')
    return void res.writeHead(200, { 'content-type': 'text/html' }).end('<script>M.cfg = {"sesskey":"K3y"};</script>');
  res.writeHead(200, { 'content-type': 'text/html' }).end(`<html>${url.pathname} ${body.length}</html>`);
};

beforeAll(async () => {
  moodle = await serve('127.0.0.1', (req, body, res) => {
    reachedMoodle.push({ path: req.url ?? '', cookie: req.headers.cookie ?? '', body });
    handle(req, body, res);
  });
  elsewhere = await serve('127.0.0.2', (req, body, res) => {
    reachedElsewhere.push(`${req.method} ${req.url} cookie=${req.headers.cookie ?? ''} ${body}`);
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<html>${LOGIN_FORM()}</html>`);
  });
  root = `http://127.0.0.1:${(moodle.address() as AddressInfo).port}`;
  other = `http://127.0.0.2:${(elsewhere.address() as AddressInfo).port}`;
});
afterAll(() => {
  moodle.close();
  elsewhere.close();
});
beforeEach(() => {
  reachedElsewhere.length = 0;
  reachedMoodle.length = 0;
  handle = normalMoodle;
});

async function withSession<T>(
  work: (session: MoodleSession) => Promise<T>,
  timeouts?: { requestMs: number; commandMs: number },
): Promise<{ code: string; message: string; hint: string } | T> {
  const http = new HttpClient();
  try {
    return await work(new MoodleSession(root, http, timeouts));
  } catch (error) {
    return error as { code: string; message: string; hint: string };
  } finally {
    await http.close();
  }
}

const failure = (value: unknown) => value as { code: string; message: string; hint: string };

describe('credentials go to the Moodle’s own origin only', () => {
  it('a login page that redirects to another host: stopped there, nothing sent to it', async () => {
    handle = (req, body, res) =>
      new URL(req.url!, root).pathname === '/login/index.php'
        ? void res.writeHead(302, { location: `${other}/login/index.php` }).end()
        : normalMoodle(req, body, res);
    const error = failure(await withSession((s) => s.login('admin', 'pa55word')));
    expect(error.code).toBe('MOODLE_OFFSITE');
    expect(error.message).toContain(`redirects to ${other}, not ${root}`);
    expect(exitCodeFor(error)).toBe(1);
    expect(reachedElsewhere).toEqual([]);
  });

  it('a login form whose action is another host: the password is never posted there', async () => {
    handle = (req, body, res) =>
      new URL(req.url!, root).pathname === '/login/index.php' && req.method === 'GET'
        ? void res.writeHead(200, { 'content-type': 'text/html' }).end(LOGIN_FORM(`${other}/login/index.php`))
        : normalMoodle(req, body, res);
    const error = failure(await withSession((s) => s.login('admin', 'pa55word')));
    expect(error.code).toBe('MOODLE_OFFSITE');
    expect(error.message).toContain(`leads to ${other}`);
    expect(reachedElsewhere).toEqual([]);
    expect(reachedMoodle.map((r) => r.body).join('')).not.toContain('pa55word');
  });

  it('a redirected AJAX call and a form posted elsewhere: the sesskey and the cookie stay home', async () => {
    handle = (req, body, res) =>
      new URL(req.url!, root).pathname === '/lib/ajax/service.php'
        ? void res.writeHead(307, { location: `${other}/lib/ajax/service.php${new URL(req.url!, root).search}` }).end()
        : normalMoodle(req, body, res);
    const ajax = failure(
      await withSession(async (s) => {
        await s.login('admin', 'x');
        return s.ajax('any', {});
      }),
    );
    expect(ajax.code).toBe('MOODLE_OFFSITE');
    const post = failure(
      await withSession(async (s) => {
        await s.login('admin', 'x');
        return s.post(`${other}/save`, 'a=1');
      }),
    );
    expect(post.code).toBe('MOODLE_OFFSITE');
    expect(reachedElsewhere).toEqual([]);
  });

  it('the same host over https is Moodle’s own redirect, not another site', async () => {
    const http = new HttpClient();
    const session = new MoodleSession(`http://127.0.0.2:1`, http) as unknown as { ownOrigin(url: URL): boolean };
    expect(session.ownOrigin(new URL('https://127.0.0.2/login/index.php'))).toBe(true);
    expect(session.ownOrigin(new URL('http://127.0.0.2:2/login/index.php'))).toBe(false);
    expect(session.ownOrigin(new URL('https://127.0.0.3/login/index.php'))).toBe(false);
    await http.close();
  });

  it('cookies as a browser keeps them: a Secure one never over http, a path one only under its path', async () => {
    handle = (req, body, res) =>
      new URL(req.url!, root).pathname === '/login/index.php' && req.method === 'POST'
        ? void res
            .writeHead(303, {
              location: `${root}/my/`,
              'set-cookie': ['MoodleSession=s3ss; path=/', 'Sec=leak; Secure; path=/', 'Adm=only; path=/admin'],
            })
            .end()
        : normalMoodle(req, body, res);
    await withSession(async (s) => {
      await s.login('admin', 'x');
      await s.page('/admin/settings.php');
      await s.page('/administrator/');
    });
    const cookieAt = (path: string) => reachedMoodle.find((r) => r.path.startsWith(path))!.cookie;
    expect(cookieAt('/my/')).toBe('MoodleSession=s3ss');
    expect(cookieAt('/admin/settings.php')).toBe('Adm=only; MoodleSession=s3ss');
    expect(cookieAt('/administrator/')).toBe('MoodleSession=s3ss');
  });

  it('a login page that echoes what was typed never puts the password in the error line', async () => {
    handle = (req, body, res) => {
      if (new URL(req.url!, root).pathname === '/login/index.php' && req.method === 'POST')
        return void res.writeHead(303, { location: `${root}/login/index.php?e=${encodeURIComponent(body)}` }).end();
      if (req.url!.includes('?e=')) {
        const typed = new URLSearchParams(decodeURIComponent(req.url!.split('?e=')[1]!)).get('password');
        const said = `<a id="loginerrormessage" href="#">No account with password ${typed}</a>`;
        return void res.writeHead(200, { 'content-type': 'text/html' }).end(`${said}${LOGIN_FORM()}`);
      }
      return normalMoodle(req, body, res);
    };
    const error = failure(await withSession((s) => s.login('admin', 'pa55word')));
    expect(error.code).toBe('MOODLE_LOGIN_REFUSED');
    expect(error.message).toContain('No account with password ***');
    expect(error.message + error.hint).not.toContain('pa55word');
  });
});

describe('a Moodle that answers too much or too slowly', () => {
  it('a page over 5 MiB is an error, never read cut', async () => {
    handle = (req, body, res) =>
      new URL(req.url!, root).pathname === '/big'
        ? void res.writeHead(200, { 'content-type': 'text/html' }).end(`<html>${'x'.repeat(6 * 1024 * 1024)}</html>`)
        : normalMoodle(req, body, res);
    const error = failure(await withSession((s) => s.page('/big')));
    expect(error.message).toMatch(/\/big answered more than 5 MiB: not read/);
  });

  it('one byte a second: the request stops at its deadline, naming the page it waited for', async () => {
    handle = (req, body, res) => {
      if (new URL(req.url!, root).pathname !== '/drip') return normalMoodle(req, body, res);
      res.writeHead(200, { 'content-type': 'text/html' });
      const timer = setInterval(() => res.write('x'), 200);
      res.on('close', () => clearInterval(timer));
    };
    const started = Date.now();
    const error = failure(await withSession((s) => s.page('/drip'), { requestMs: 1_000, commandMs: 60_000 }));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error.code).toBe('MOODLE_UNREACHABLE');
    expect(error.message).toBe(`${root}/drip did not answer completely within 1 s`);
  });

  it('the whole command has a deadline too', async () => {
    handle = (req, body, res) => setTimeout(() => normalMoodle(req, body, res), 400);
    const error = failure(
      await withSession(
        async (s) => {
          for (let i = 0; i < 10; i++) await s.page(`/page${i}`);
        },
        { requestMs: 1_000, commandMs: 1_000 },
      ),
    );
    expect(error.code).toBe('MOODLE_UNREACHABLE');
    expect(error.message).toMatch(/\/page\d (did not answer completely within|: the command's 1 s ran out)/);
  });
});
