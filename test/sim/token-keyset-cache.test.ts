import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_ASSERTION_TYPE, SCOPE } from '../../src/lti/claims.js';
import { signJwt } from '../../src/lti/sign.js';
import { insperaRecommendedSettings } from '../../src/moodle/settings.js';
import { startPlatform, type EmbeddedPlatform } from '../../src/sim/platform/server.js';
import { defaultWorld } from '../../src/sim/world.js';
import { fixtureKey } from '../helpers/sim.js';

const toolKey = fixtureKey('tool');
let platform: EmbeddedPlatform;
let downloads = 0;
let withAlg = false;

beforeAll(async () => {
  platform = await startPlatform({
    wwwroot: 'http://placeholder',
    clientId: 'EhdzqulqmXxNDkw',
    typeId: '3',
    tool: {
      toolUrl: 'https://t.example/launch',
      loginInitUrl: 'https://t.example/init',
      redirectUrls: ['https://t.example/launch'],
      keysetUrl: 'https://t.example/jwks',
      customParameters: '',
    },
    settings: insperaRecommendedSettings(),
    key: fixtureKey('platform'),
    world: defaultWorld(),
    fetchKeyset: async () => {
      downloads++;
      const { alg: _alg, ...bare } = toolKey.jwk as unknown as Record<string, unknown>;
      return { status: 200, body: JSON.stringify({ keys: [withAlg ? toolKey.jwk : bare] }) };
    },
  });
  platform.setup.wwwroot = platform.server.origin;
});
afterAll(() => platform.close());

async function token(): Promise<number> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = await signJwt(
    {
      iss: 'EhdzqulqmXxNDkw',
      sub: 'EhdzqulqmXxNDkw',
      aud: `${platform.server.origin}/mod/lti/token.php`,
      iat: now,
      exp: now + 60,
    },
    toolKey,
  );
  const response = await fetch(`${platform.server.origin}/mod/lti/token.php`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: CLIENT_ASSERTION_TYPE,
      client_assertion: jwt,
      scope: SCOPE.score,
    }).toString(),
  });
  return response.status;
}

describe("token.php's keyset cache, as Moodle keeps it", () => {
  it(
    'a keyset without "alg" works (fixed on download) but fails from ' + 'the cache, so it is downloaded every time',
    async () => {
      expect(await token()).toBe(200);
      expect(await token()).toBe(200);
      expect(downloads).toBe(2);
    },
  );

  it('a keyset with "alg" is read from the cache after the first download', async () => {
    withAlg = true;
    downloads = 0;
    expect(await token()).toBe(200);
    expect(await token()).toBe(200);
    expect(downloads).toBe(1);
  });
});
