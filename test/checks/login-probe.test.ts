import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runChecks } from '../../src/checks/runner.js';
import { createValidateContext } from '../../src/checks/validate/context.js';
import { validateChecks } from '../../src/checks/validate/index.js';
import { PROBE_LOGIN_HINT, PROBE_MESSAGE_HINT } from '../../src/checks/validate/login-probe.js';
import { parseConfig } from '../../src/config/parse.js';
import type { CheckResult } from '../../src/core/result.js';
import { createProber } from '../../src/http/probe.js';
import { toolUrlsFor } from '../../src/inspera/urls.js';
import { registrationFor } from '../../src/moodle/registration.js';
import { endpointsFor } from '../../src/moodle/tool-details.js';
import { moodleRelease } from '../../src/moodle/versions.js';
import { planEnvironment, startEnvironment, type Environment } from '../../src/sim/environment.js';
import { FIXTURE_KEYS, demoConfig } from '../helpers/sim.js';

/**
 * The login-initiation probe (issue 32, point 1): a login initiation as Moodle sends one, to the embedded tool in each
 * of its states and to a purpose-built tool answering as others do; the answer is read, never followed.
 */
const prober = createProber({ env: {} });
let older: Environment;
let newer: Environment;
let fake: Server;
let fakeHost: string;
let fakeAnswer: (req: IncomingMessage, res: ServerResponse, body: string) => void;
const seen: Array<{ method: string; url: string; body: string }> = [];

async function world(release: string): Promise<Environment> {
  const env = await startEnvironment(planEnvironment(demoConfig(), FIXTURE_KEYS, { moodle: moodleRelease(release) }), {
    offline: false,
  });
  env.platform!.setup.wwwroot = env.platform!.server.origin;
  env.tool!.setup.urls = toolUrlsFor(env.tool!.server.origin.replace('http://', ''), 'http');
  register(env);
  return env;
}

/** The tool registers a Moodle by its address, as Inspera registers a site's. */
function register(env: Environment, platformId = env.platform!.server.origin, clientId = 'EhdzqulqmXxNDkw'): void {
  env.tool!.setup.registrations = [registrationFor({ platformId, clientId, deploymentId: '3' })!];
}

beforeAll(async () => {
  [older, newer] = await Promise.all([world('4.5.6'), world('5.2.1')]);
  fake = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', body });
      fakeAnswer(req, res, body);
    });
  });
  await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
  fakeHost = `127.0.0.1:${(fake.address() as AddressInfo).port}`;
});
afterEach(() => {
  for (const env of [older, newer]) {
    register(env);
    env.tool!.setup.behaviour = {};
  }
  seen.length = 0;
});
afterAll(async () => {
  fake.closeAllConnections();
  fake.close();
  await Promise.all([older.close(), newer.close()]);
  await prober.close();
});

function configFor(env: Environment, toolHost: string, extra: Record<string, unknown> = {}) {
  const platformId = env.platform!.server.origin;
  return parseConfig(
    {
      allowInsecure: true,
      tool: { domain: toolHost, scheme: 'http' },
      platform: { platformId, clientId: 'EhdzqulqmXxNDkw', deploymentId: '3', ...endpointsFor(platformId) },
      ...extra,
    },
    'test',
  ).config;
}

const PROBE_CHECKS = ['tool.registration', 'tool.repost', 'tool.state-cookie'];

async function probe(config: ReturnType<typeof configFor>): Promise<Record<string, CheckResult>> {
  const checks = validateChecks().filter((c) => PROBE_CHECKS.includes(c.id) || c.id === 'platform.discovery');
  const results = await runChecks(checks, createValidateContext(config, prober, 2_000), { timeoutMs: 5_000 });
  return Object.fromEntries(results.map((r) => [r.id, r]));
}

const toolOf = (env: Environment) => env.tool!.server.origin.replace('http://', '');

describe('the embedded tool in each state', () => {
  it('registered: the recorded auth.php, Client ID and a Redirection URI it holds: healthy', async () => {
    const results = await probe(configFor(older, toolOf(older)));
    expect(results['tool.registration']).toMatchObject({ status: 'pass' });
    expect(results['tool.registration']!.finding).toContain(`a redirect (GET) to ${older.platform!.server.origin}`);
    expect(results['tool.repost']!.status).toBe('pass');
    expect(results['tool.state-cookie']).toMatchObject({ status: 'pass' });
    expect(results['tool.state-cookie']!.finding).toContain('SameSite=None; Secure');
  });

  it('holding no registration of this Platform ID: named, with the values to send Inspera', async () => {
    register(older, 'https://another-moodle.example.edu');
    const results = await probe(configFor(older, toolOf(older)));
    expect(results['tool.registration']).toMatchObject({
      status: 'fail',
      cause: { id: 'tool-registration' },
      fix: {
        system: 'Inspera',
        value: `Platform ID ${older.platform!.server.origin}, Client ID EhdzqulqmXxNDkw, Deployment ID 3`,
      },
    });
    expect(results['tool.registration']!.finding).toMatch(/with HTTP 400 "Unregistered platform/);
    expect(results['tool.repost']!.status).toBe('skip');
    expect(results['tool.state-cookie']!.status).toBe('skip');
  });

  it('holding this Platform ID with another Client ID: no registration with these values', async () => {
    register(older, older.platform!.server.origin, 'SomeOtherClient');
    const results = await probe(configFor(older, toolOf(older)));
    expect(results['tool.registration']).toMatchObject({ status: 'fail', cause: { id: 'tool-registration' } });
    expect(results['tool.registration']!.finding).toContain('Unregistered client');
  });

  it('sending repost itself: a warning before MDL-83526 (4.5.6), a failure after it (5.2.1)', async () => {
    for (const env of [older, newer]) env.tool!.setup.behaviour = { postWithRepost: true };
    const before = await probe(configFor(older, toolOf(older)));
    expect(before['tool.registration']!.finding).toContain('a form (POST)');
    expect(before['tool.repost']).toMatchObject({ status: 'warn', cause: { id: 'repost' } });
    expect(before['tool.repost']!.finding).toMatch(/works on Moodle 4\.5\.6, and every launch will fail once/);
    const after = await probe(configFor(newer, toolOf(newer)));
    expect(after['tool.repost']).toMatchObject({ status: 'fail', cause: { id: 'repost' } });
    expect(after['tool.repost']!.finding).toContain('Moodle 5.2.1 sets its session cookie SameSite=Lax');
  });

  it('a state cookie set SameSite=Lax is named with its attributes', async () => {
    older.tool!.setup.behaviour = { stateCookieSameSite: 'Lax' };
    const results = await probe(configFor(older, toolOf(older)));
    expect(results['tool.state-cookie']).toMatchObject({ status: 'fail', cause: { id: 'tool-cookie-attributes' } });
    expect(results['tool.state-cookie']!.finding).toContain('lti1p3_state is set SameSite=Lax; Secure');
  });

  it.each([
    ['SameSite=None', 'fail', /browsers reject SameSite=None without Secure/],
    ['', 'warn', /SameSite=\(none\): Chrome treats it as Lax/],
    ['SameSite=Strict; Secure', 'fail', /SameSite=Strict; Secure: it stays behind/],
  ])('a state cookie set %j: %s', async (attributes, status, words) => {
    older.tool!.setup.behaviour = { stateCookieAttributes: attributes };
    const cookie = (await probe(configFor(older, toolOf(older))))['tool.state-cookie']!;
    expect(cookie.status).toBe(status);
    expect(cookie.finding).toMatch(words);
  });

  it('an iframe launch container and a cookie that is not Partitioned: a warning, fixed by a new window', async () => {
    const results = await probe(configFor(older, toolOf(older), { moodle: { launchContainer: 'embed' } }));
    expect(results['tool.state-cookie']).toMatchObject({
      status: 'warn',
      cause: { id: 'state-cookie' },
      fix: { field: 'Default launch container', value: 'New window' },
    });
  });

  it.each([
    ['omits response_mode', { omitResponseMode: true }, 'auth-request', /no response_mode/],
    ['changes login_hint', { loginHint: '7' }, 'login-hint', /changes login_hint \("7" back for "inspera-lti-probe"\)/],
  ])('a tool that %s is named with the cause auth.php would show', async (_name, behaviour, cause, words) => {
    older.tool!.setup.behaviour = behaviour;
    const results = await probe(configFor(older, toolOf(older)));
    expect(results['tool.registration']).toMatchObject({ status: 'fail', cause: { id: cause } });
    expect(results['tool.registration']!.finding).toMatch(words);
  });
});

describe('tools that answer in other ways', () => {
  const authUrl = () => `${older.platform!.server.origin}/mod/lti/auth.php`;
  const goodParams = (extra: Record<string, string> = {}) =>
    new URLSearchParams({
      scope: 'openid',
      response_type: 'id_token',
      response_mode: 'form_post',
      prompt: 'none',
      client_id: 'EhdzqulqmXxNDkw',
      redirect_uri: `http://${fakeHost}/ltiprovider/launch`,
      login_hint: PROBE_LOGIN_HINT,
      lti_message_hint: PROBE_MESSAGE_HINT,
      state: 'st-1',
      nonce: 'n-1',
      ...extra,
    });
  const html = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) =>
    res.writeHead(status, { 'content-type': 'text/html', ...headers }).end(body);

  it('sends what Moodle sends, by POST and by GET, with hints marked as the CLI’s own', async () => {
    fakeAnswer = (_req, res) => html(res, 400, '<p>no</p>');
    await probe(configFor(older, fakeHost));
    const post = seen.find((s) => s.method === 'POST')!;
    const fields = Object.fromEntries(new URLSearchParams(post.body));
    expect(fields).toEqual({
      iss: older.platform!.server.origin,
      target_link_uri: `http://${fakeHost}/ltiprovider/launch`,
      login_hint: 'inspera-lti-probe',
      lti_message_hint: '{"launchid":"inspera-lti-probe-not-a-launch"}',
      client_id: 'EhdzqulqmXxNDkw',
      lti_deployment_id: '3',
    });
    const get = seen.find((s) => s.method === 'GET' && s.url.startsWith('/ltiprovider/init?'))!;
    expect(Object.fromEntries(new URL(get.url, 'http://x').searchParams)).toEqual(fields);
  });

  it('an auto-submitted form and a meta refresh to auth.php are read as the redirect is', async () => {
    fakeAnswer = (_req, res) =>
      html(
        res,
        200,
        `<form name="f" action="${authUrl()}" method="post">${[...goodParams()]
          .map(([k, v]) => `<input type="hidden" name="${k}" value="${v.replace(/"/g, '&quot;')}">`)
          .join('')}</form><script>document.f.submit()</script>`,
        { 'set-cookie': 'lti_state_st-1=st-1; Path=/; SameSite=None; Secure; HttpOnly' },
      );
    const form = await probe(configFor(older, fakeHost));
    expect(form['tool.registration']).toMatchObject({ status: 'pass' });
    expect(form['tool.registration']!.finding).toContain('a form (POST)');
    expect(form['tool.repost']!.status).toBe('pass');
    expect(form['tool.state-cookie']!.status).toBe('pass');
    fakeAnswer = (_req, res) =>
      html(res, 200, `<meta http-equiv="refresh" content="0; url=${authUrl()}?${goodParams().toString()}">`);
    const meta = await probe(configFor(older, fakeHost));
    expect(meta['tool.registration']!.finding).toContain('a page that moves on (GET)');
    expect(meta['tool.state-cookie']!.finding).toContain('the answer sets no cookie');
  });

  it('another Authentication request URL: Inspera registered another address, the field named', async () => {
    fakeAnswer = (_req, res) =>
      res.writeHead(302, { location: `https://old-moodle.example.edu/mod/lti/auth.php?${goodParams()}` }).end();
    const results = await probe(configFor(older, fakeHost));
    expect(results['tool.registration']).toMatchObject({
      status: 'fail',
      cause: { id: 'tool-registration' },
      fix: { field: 'Authentication request URL', value: authUrl() },
    });
  });

  it("a redirect_uri Moodle does not hold: add it as a line, keep the others (Moodle's field)", async () => {
    fakeAnswer = (_req, res) =>
      res.writeHead(302, { location: `${authUrl()}?${goodParams({ redirect_uri: 'http://elsewhere/launch' })}` }).end();
    const results = await probe(configFor(older, fakeHost));
    expect(results['tool.registration']).toMatchObject({
      status: 'fail',
      cause: { id: 'redirect-uri' },
      fix: { system: 'Moodle', field: 'Redirection URI(s)', value: 'http://elsewhere/launch' },
    });
  });

  it.each([
    ['a redirect to its own page first', 302, `/cookie-check`, 'skip', /^not decided/],
    ['a redirect to another host', 302, 'https://login.example.com/denied', 'fail', /a redirect to https:\/\/login/],
    ['an error page (403)', 403, undefined, 'fail', /HTTP 403 "Domain not approved"/],
    ['a server error (500)', 500, undefined, 'warn', /HTTP 500 .*which suggests/],
    ['a page it cannot read (200)', 200, undefined, 'warn', /which suggests it holds no registration/],
    ['404 at the login URL', 404, undefined, 'skip', /not checked: the Initiate login URL answered HTTP 404/],
  ])('%s', async (_name, status, location, verdict, words) => {
    fakeAnswer = (_req, res) =>
      location
        ? res
            .writeHead(status, { location: location.startsWith('/') ? `http://${fakeHost}${location}` : location })
            .end()
        : html(res, status, '<html><body><h1>Domain not approved</h1></body></html>');
    const results = await probe(configFor(older, fakeHost));
    expect(results['tool.registration']!.status).toBe(verdict);
    expect(results['tool.registration']!.finding).toMatch(words);
    if (verdict === 'fail') expect(results['tool.registration']!.cause?.id).toBe('tool-registration');
  });

  it("a hostile page's text stays one printable line", async () => {
    fakeAnswer = (_req, res) => html(res, 400, '<p>Denied\u001b[31m\n✔ healthy\u202e</p>');
    const results = await probe(configFor(older, fakeHost));
    expect(results['tool.registration']!.finding).not.toMatch(/[\u001b\n\u202e]/);
  });
});
