import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createValidateContext } from '../../src/checks/validate/context.js';
import { toolKeysetCheck } from '../../src/checks/validate/tool-checks.js';
import { createProber } from '../../src/http/probe.js';
import { fillsMissingKeyAlg, moodleRelease } from '../../src/moodle/versions.js';
import { fixtureKey } from '../helpers/sim.js';
import { demoConfig } from '../helpers/sim.js';

/**
 * A tool key without alg (issue 32, point 3): token.php fails on it before MDL-83423 (4.4.5 / 4.5.1), later Moodles
 * fill it in. One loopback server plays the Moodle (its discovery's version) and the tenant (its keyset).
 */
let server: Server;
let origin: string;
let version = '4.4.1 (Build: 20240610)';

beforeAll(async () => {
  const { alg: _none, ...withoutAlg } = fixtureKey('tool').jwk as unknown as Record<string, unknown>;
  server = createServer((request, response) => {
    response.setHeader('content-type', 'application/json');
    if (request.url?.startsWith('/mod/lti/openid-configuration.php'))
      response.end(
        JSON.stringify({ issuer: origin, 'https://purl.imsglobal.org/spec/lti-platform-configuration': { version } }),
      );
    else response.end(JSON.stringify({ keys: [withoutAlg] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('a tool keyset key without alg', () => {
  it('fills in from 4.4.5 and 4.5.1 on (MDL-83423), not before', () => {
    expect(['4.3.14', '4.4.4', '4.5.0'].map((r) => fillsMissingKeyAlg(moodleRelease(r)))).toEqual([
      false,
      false,
      false,
    ]);
    expect(['4.4.5', '4.5.1', '4.5.6', '5.0.5', '5.2.1'].map((r) => fillsMissingKeyAlg(moodleRelease(r)))).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
  });

  it('fails against a Moodle before the fix (its version from discovery), warns against one after', async () => {
    const config = demoConfig({
      allowInsecure: true,
      tool: { domain: origin },
      platform: { platformId: origin, clientId: 'EhdzqulqmXxNDkw', deploymentId: '3' },
    });
    const prober = createProber({ env: {} });
    try {
      const before = await toolKeysetCheck.run(createValidateContext(config, prober, 2_000));
      expect(before).toMatchObject({
        status: 'fail',
        cause: { id: 'tool-keyset' },
        fix: { field: 'alg', value: 'RS256' },
      });
      expect(before.finding).toMatch(/Moodle 4\.4\.1 \(before 4\.4\.5 \/ 4\.5\.1, MDL-83423\)/);
      version = '4.5.6 (Build: 20250811)';
      const after = await toolKeysetCheck.run(createValidateContext(config, prober, 2_000));
      expect(after.status).toBe('warn');
    } finally {
      await prober.close();
    }
  });
});

describe("the embedded Moodle's token.php and a tool key without alg", () => {
  it('refuses the token request as php-jwt does before 4.4.5 / 4.5.1, grants it after (fix_jwks_alg)', async () => {
    const { simulate } = await import('../../src/sim/simulate.js');
    const { FIXTURE_KEYS } = await import('../helpers/sim.js');
    const { alg: _none, ...jwk } = FIXTURE_KEYS.tool.jwk as unknown as Record<string, unknown>;
    const keys = {
      ...FIXTURE_KEYS,
      tool: { ...FIXTURE_KEYS.tool, jwk: jwk as unknown as typeof FIXTURE_KEYS.tool.jwk },
    };
    const run = (release: string) =>
      simulate({ config: demoConfig(), keys, grade: true, overrides: { moodle: moodleRelease(release) } });
    const before = await run('4.4.4');
    expect(before.grade?.token?.body).toContain('JWK must contain an "alg" parameter');
    const after = await run('4.5.6');
    expect(after.grade?.token?.status).toBe(200);
  });
});
