import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChecks } from '../../src/checks/runner.js';
import type { CheckResult } from '../../src/core/result.js';
import { createValidateContext } from '../../src/checks/validate/context.js';
import { validateChecks } from '../../src/checks/validate/index.js';
import { parseConfig } from '../../src/config/parse.js';
import { createProber } from '../../src/http/probe.js';
import { endpointsFor } from '../../src/moodle/tool-details.js';
import { registrationFor } from '../../src/moodle/registration.js';
import { toolUrlsFor } from '../../src/inspera/urls.js';
import { planEnvironment, startEnvironment, type Environment } from '../../src/sim/environment.js';
import { FIXTURE_KEYS, demoConfig, fixtureKey } from '../helpers/sim.js';

let env: Environment;
let fake: Server;
let fakeOrigin: string;
const prober = createProber({ env: {} });

beforeAll(async () => {
  // The embedded Moodle and Inspera, playing their real loopback addresses.
  const plan = planEnvironment(demoConfig(), FIXTURE_KEYS);
  env = await startEnvironment(plan, { offline: false });
  env.platform!.setup.wwwroot = env.platform!.server.origin;
  // The tool serves its URLs at its loopback address and registers the Moodle at that address, as Inspera does.
  env.tool!.setup.urls = toolUrlsFor(env.tool!.server.origin.replace('http://', ''), 'http');
  env.tool!.setup.registrations = [
    registrationFor({ platformId: env.platform!.server.origin, clientId: 'EhdzqulqmXxNDkw', deploymentId: '3' })!,
  ];
  // A purpose-built "Moodle" whose sub-paths misbehave in one way each.
  fake = createServer((req, res) => {
    const url = req.url ?? '';
    const json = (value: unknown, headers: Record<string, string> = {}) =>
      res.writeHead(200, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(value));
    if (url === '/html/mod/lti/certs.php')
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<!DOCTYPE html><html><head><title>Log in to the site</title></head></html>');
    else if (url === '/redirect/mod/lti/certs.php')
      res.writeHead(303, { location: 'https://login.example.edu/' }).end();
    else if (url === '/badjson/mod/lti/certs.php')
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"keys": [');
    else if (url === '/nokid/mod/lti/certs.php') json({ keys: [{ ...fixtureKey('other').jwk, kid: undefined }] });
    else if (url === '/skew/mod/lti/certs.php')
      json({ keys: [fixtureKey('other').jwk] }, { date: new Date(Date.now() - 120_000).toUTCString() });
    else if (url === '/hang/mod/lti/certs.php') {
      /* never answers */
    } else if (url === '/rsanokey/mod/lti/token.php')
      // token.php of a tool whose Public key type is "RSA key" with no key: Moodle's words, its format (facts A.3).
      res
        .writeHead(400, { 'content-type': 'text/html; charset=utf-8' })
        .end('{\n  "error" : "error/No public key configured"\n}');
    else if (url.startsWith('/wrongissuer/mod/lti/openid-configuration.php'))
      json({ issuer: `${fakeOrigin}/wrongissuer/`, jwks_uri: '', token_endpoint: '', authorization_endpoint: '' });
    else res.writeHead(404, { 'content-type': 'text/html' }).end('<html>Not found</html>');
  });
  await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
  fakeOrigin = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
});
afterAll(async () => {
  fake.closeAllConnections();
  fake.close();
  await env.close();
  await prober.close();
});

function configFor(platformId: string, extra: Record<string, unknown> = {}, tool?: string) {
  return parseConfig(
    {
      allowInsecure: true,
      allowIdn: false,
      tool: { domain: tool ?? env.tool!.server.origin.replace('http://', ''), scheme: 'http' },
      platform: {
        platformId,
        clientId: 'EhdzqulqmXxNDkw',
        deploymentId: '3',
        ...endpointsFor(platformId.replace(/\/+$/, '')),
        ...extra,
      },
    },
    'test',
  ).config;
}

async function validate(
  config: ReturnType<typeof configFor>,
  only?: 'platform' | 'tool',
  timeoutMs = 2_000,
): Promise<Record<string, CheckResult>> {
  const results = await runChecks(validateChecks(only), createValidateContext(config, prober, timeoutMs), {
    timeoutMs: timeoutMs * 2 + 1000,
  });
  return Object.fromEntries(results.map((r) => [r.id, r]));
}

describe('validate against the embedded Moodle and Inspera', () => {
  it('passes every check (http allowed for the test tool is a warning)', async () => {
    const results = await validate(configFor(env.platform!.server.origin));
    const notPassing = Object.values(results)
      .filter((r) => r.status !== 'pass')
      .map((r) => `${r.id}:${r.status}`);
    expect(notPassing).toEqual(['tool.urls:warn']);
    expect(results['platform.token']!.finding).toContain('Client ID is registered');
  });

  it('leaves out the checks the config skips', async () => {
    const config = configFor(env.platform!.server.origin);
    const results = await runChecks(
      validateChecks('tool', ['tool.login-init']),
      createValidateContext(config, prober, 2000),
      { timeoutMs: 5000 },
    );
    expect(results.find((r) => r.id === 'tool.login-init')).toMatchObject({
      status: 'skip',
      finding: 'left out by checks.skip in the config',
    });
    expect(results.find((r) => r.id === 'tool.keyset')?.status).toBe('pass');
  });

  it('names a recorded Platform ID with a trailing slash against the discovery issuer', async () => {
    const results = await validate(configFor(`${env.platform!.server.origin}/`), 'platform');
    expect(results['platform.discovery']).toMatchObject({ status: 'fail', faq: 'F.1' });
    expect(results['platform.discovery']!.finding).toContain('the recorded value has a trailing slash');
    expect(results['config.platform']!.status).toBe('fail');
  });

  it('says when the Client ID is not registered on that Moodle', async () => {
    const results = await validate(configFor(env.platform!.server.origin, { clientId: 'NotRegistered99' }), 'platform');
    expect(results['platform.token']).toMatchObject({ status: 'fail', faq: 'F.11' });
    expect(results['platform.token']!.finding).toContain('invalid_client');
  });

  it('says when Moodle cannot download the Inspera keyset (token.php fatal error)', async () => {
    const saved = env.platform!.setup.tool.keysetUrl;
    env.platform!.setup.tool.keysetUrl = `${fakeOrigin}/nothing-here`;
    try {
      const results = await validate(configFor(env.platform!.server.origin), 'platform');
      expect(results['platform.token']).toMatchObject({ status: 'fail', faq: 'F.13' });
    } finally {
      env.platform!.setup.tool.keysetUrl = saved;
    }
  });
});

describe('validate: a tool whose Public key type is "RSA key" with no key', () => {
  it('is no "Client ID is registered": the key type is named, with its field and value', async () => {
    const results = await validate(configFor(`${fakeOrigin}/rsanokey`), 'platform');
    expect(results['platform.token']).toMatchObject({
      status: 'fail',
      cause: { id: 'tool-setting' },
      fix: expect.objectContaining({ system: 'Moodle', field: 'Public key type', value: 'Keyset URL' }),
    });
    expect(results['platform.token']!.finding).toMatch(/"error\/No public key configured": Moodle knows the Client ID/);
  });
});

describe('validate against faulty servers', () => {
  it.each([
    ['html', 'an HTML page ("Log in to the site") came back where JSON was expected'],
    ['redirect', 'redirected to https://login.example.edu/'],
    ['badjson', 'not valid JSON'],
    ['nokid', 'has no kid'],
  ])('keyset at /%s: fails and names why', async (prefix, words) => {
    const results = await validate(configFor(`${fakeOrigin}/${prefix}`), 'platform');
    expect(results['platform.keyset']!.status).toBe('fail');
    expect(results['platform.keyset']!.finding).toContain(words);
  });

  it('a hanging keyset costs the timeout and is named', async () => {
    const results = await validate(configFor(`${fakeOrigin}/hang`), 'platform', 400);
    expect(results['platform.keyset']!.finding).toContain('did not answer within 0.4 s');
  });

  it('warns about clock skew from the Date header', async () => {
    const results = await validate(configFor(`${fakeOrigin}/skew`), 'platform');
    expect(results['platform.clock']).toMatchObject({ status: 'fail' });
    expect(results['platform.clock']!.finding).toMatch(/clock is 1(19|20|21) s behind this machine/);
  });

  it('reports a discovery issuer that differs from the recorded Platform ID', async () => {
    const results = await validate(configFor(`${fakeOrigin}/wrongissuer`), 'platform');
    expect(results['platform.discovery']!.status).toBe('fail');
    expect(results['platform.discovery']!.finding).toContain(`issuer is "${fakeOrigin}/wrongissuer/"`);
  });

  it('fails Inspera URLs that answer 404, and non-https tenants without allowInsecure', async () => {
    const results = await validate(
      configFor(env.platform!.server.origin, {}, fakeOrigin.replace('http://', '')),
      'tool',
    );
    expect(results['tool.login-init']!.finding).toContain('answered 404');
    expect(results['tool.keyset']!.status).toBe('fail');
    const strict = parseConfig(
      { tool: { domain: 'uni.inspera.com', templates: { loginInitUrl: 'http://uni.inspera.com/ltiprovider/init' } } },
      'x',
    ).config;
    const checks = await runChecks(
      validateChecks('tool').filter((c) => c.id === 'tool.urls'),
      createValidateContext(strict, prober, 1000),
      { timeoutMs: 2000 },
    );
    expect(checks[0]).toMatchObject({ status: 'fail', finding: 'Initiate login URL is not https' });
  });
});
