import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../src/errors.js';
import { HttpClient } from '../../src/http/client.js';
import { MoodleSession } from '../../src/moodle/admin/session.js';

/**
 * The pages that stop a login, each one clear line (issue 19, item 1), from a real HTTP server on 127.0.0.1 that
 * answers as Moodle does at each: where it sends the browser after the password, or what its login page is.
 */
const LOGIN_FORM =
  '<form class="login-form" action="/login/index.php" method="post" id="login">' +
  '<input type="hidden" name="logintoken" value="t0k3n"><input name="username">' +
  '<input name="password" type="password">' +
  '</form>';
let server: Server;
let origin: string;
let mode = 'normal';
const NEXT: Record<string, string> = {
  good: '/my/',
  forced: '/login/change_password.php',
  policy: '/admin/tool/policy/index.php',
  mfa: '/admin/tool/mfa/auth.php',
  bad: '/login/index.php?loginredirect=1',
};

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (mode === 'maintenance')
      return void res.writeHead(503, { 'content-type': 'text/html' }).end('<p>The site is undergoing maintenance</p>');
    if (url.pathname === '/login/index.php' && req.method === 'POST') {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        const user = new URLSearchParams(body).get('username') ?? '';
        res.writeHead(303, { location: NEXT[user] ?? NEXT.bad!, 'set-cookie': 'MoodleSession=abc; path=/' }).end();
      });
      return;
    }
    if (url.pathname === '/login/index.php') {
      const refused = url.search.includes('loginredirect')
        ? '<a id="loginerrormessage" href="#">Invalid login, please try again</a>'
        : '';
      const guestForm =
        '<form action="/login/index.php" method="post" id="guestlogin"><input name="username" value="guest">';
      // Web maintenance: Moodle shows its notice above the login form (200); administrators may still log in.
      const notice =
        mode === 'web-maintenance'
          ? '<div class="box py-3 maintenancewarning">This site is undergoing maintenance</div>'
          : '';
      const page =
        mode === 'sso'
          ? '<a href="https://idp.example/">Log in with the university account</a>'
          : mode === 'guest'
            ? `${guestForm}</form>`
            : `${notice}${refused}${LOGIN_FORM}`;
      return void res.writeHead(200, { 'content-type': 'text/html' }).end(`<html><body>${page}</body></html>`);
    }
    res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>a page</body></html>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => server.close());

async function login(user: string, as = 'normal') {
  mode = as;
  const http = new HttpClient();
  try {
    await new MoodleSession(origin, http).login(user, 'secret');
    return undefined;
  } catch (error) {
    return error as { code: string; message: string; hint: string };
  } finally {
    await http.close();
  }
}

describe('the Moodle session client: what stops a login', () => {
  it('logs in when Moodle sends the browser on past the login page', async () => {
    expect(await login('good')).toBeUndefined();
  });

  it.each([
    [
      'bad',
      'MOODLE_LOGIN_REFUSED',
      /refused the login for bad: "Invalid login, please try again" — a wrong password, or a locked or suspended/,
    ],
    ['forced', 'MOODLE_LOGIN_BLOCKED', /forced: Moodle wants this account to change its password/],
    ['policy', 'MOODLE_LOGIN_BLOCKED', /policy: Moodle wants this account to accept the site policy/],
    ['mfa', 'MOODLE_LOGIN_BLOCKED', /mfa: this site asks for an extra authentication step/],
  ])('%s: %s, exit 1', async (user, code, message) => {
    const error = (await login(user))!;
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(exitCodeFor(error)).toBe(1);
    expect(error.message + error.hint).not.toContain('secret');
  });

  it("reads Moodle's login error in 4.x's markup and in 5.2's (a bold title above the detail)", async () => {
    const { loginErrorOf } = await import('../../src/moodle/login-page.js');
    expect(loginErrorOf('<a href="#" id="loginerrormessage" class="sr-only">Invalid login, please try again</a>')).toBe(
      'Invalid login, please try again',
    );
    // public/theme/boost/templates/core/loginform.mustache of 5.2.1+, as it renders a wrong password.
    const page52 =
      '<div class="alert alert-danger" id="loginerrormessage" role="alert">\n' +
      '            <strong class="d-block mb-1">Unable to log in</strong>\n' +
      '            Your login info may be incorrect. Please try again.\n        </div>';
    expect(loginErrorOf(page52)).toBe('Unable to log in: Your login info may be incorrect. Please try again.');
  });

  it('web maintenance (a notice on the login page) does not stop an administrator from logging in', async () => {
    expect(await login('good', 'web-maintenance')).toBeUndefined();
  });

  it('maintenance mode, a single-sign-on login page and a guest-only site are each named', async () => {
    expect((await login('good', 'maintenance'))!.message).toMatch(/is in maintenance mode/);
    expect((await login('good', 'sso'))!.message).toMatch(
      /has no Moodle login form — not Moodle's address, or a single sign-on/,
    );
    expect((await login('good', 'guest'))!.message).toMatch(/offers only guest access/);
  });
});

describe('the audit of a stored tool', () => {
  it('warns when the tool is not offered when adding an activity, and passes the prescribed tool', async () => {
    const { auditStoredTool } = await import('../../src/moodle/admin/audit.js');
    const { insperaRecommendedSettings } = await import('../../src/moodle/settings.js');
    const { toolUrlsFor } = await import('../../src/inspera/urls.js');
    const { storedTool } = await import('../helpers/stored-tool.js');
    const urls = toolUrlsFor('university.inspera.com');
    const stored = storedTool({ name: 'Inspera', customParameters: 'enroll_candidates=true' });
    const want = {
      urls,
      customParameters: { enroll_candidates: 'true' },
      settings: insperaRecommendedSettings(),
      recorded: { clientId: 'EhdzqulqmXxNDkw' },
    };
    expect(auditStoredTool(stored, undefined, want).filter((r) => r.status !== 'pass')).toEqual([]);
    const hidden = auditStoredTool({ ...stored, usage: 'hidden' }, undefined, want).filter((r) => r.status !== 'pass');
    expect(hidden).toEqual([expect.objectContaining({ id: 'moodle.usage', status: 'warn' })]);
    // A wrong key type is its own finding, in Moodle's words, with its field and value — not a keyset download.
    const rsa = auditStoredTool({ ...stored, keyType: 'RSA_KEY' }, undefined, want).filter((r) => r.status !== 'pass');
    expect(rsa).toEqual([
      expect.objectContaining({
        id: 'moodle.key-type',
        finding: 'Moodle holds "RSA key"; this tenant needs "Keyset URL"',
        cause: { id: 'tool-setting' },
        fix: expect.objectContaining({ field: 'Public key type', value: 'Keyset URL' }),
      }),
    ]);
  });
});

describe("init --apply's difference in Moodle's words", () => {
  it('shows each select by its option label and leaves text fields as they stand', async () => {
    const { shownValue } = await import('../../src/moodle/admin/tool-form.js');
    expect(shownValue('lti_launchcontainer', '4')).toBe('New window');
    expect(shownValue('lti_launchcontainer', '2')).toBe('Embed');
    expect(shownValue('lti_sendemailaddr', '0')).toBe('Never');
    expect(shownValue('lti_acceptgrades', '2')).toBe('As specified in Deep Linking definition or Delegate to teacher');
    expect(shownValue('ltiservice_gradesynchronization', '2')).toBe(
      'Use this service for grade sync and column management',
    );
    expect(shownValue('lti_keytype', 'RSA_KEY')).toBe('RSA key');
    expect(shownValue('lti_ltiversion', 'LTI-1p0')).toBe('LTI 1.0/1.1');
    expect(shownValue('lti_coursevisible', '1')).toBe('Show as preconfigured tool when adding an external tool');
    expect(shownValue('lti_toolurl', 'https://x.example/launch')).toBe('https://x.example/launch');
  });
});

describe('the admin session through a proxy', () => {
  it('goes through HTTP_PROXY when the environment names one', async () => {
    const seen: string[] = [];
    const proxy = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>via proxy</body></html>');
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const http = new HttpClient(new Map(), { proxyEnv: { HTTP_PROXY: proxyUrl } });
    try {
      const page = await new MoodleSession('http://moodle.example.invalid', http).page('/my/');
      expect(page.body).toContain('via proxy');
      expect(seen).toEqual(['GET http://moodle.example.invalid/my/']);
    } finally {
      await http.close();
      proxy.close();
    }
  });
});
