import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '../../src/config/parse.js';
import type { Config } from '../../src/config/types.js';
import { signingKeyFromPem, type SigningKey } from '../../src/lti/keys.js';

const KEYS = fileURLToPath(new URL('../../fixtures/keys/', import.meta.url));

type FixtureKeyName = 'platform' | 'tool' | 'other';

function readFixtureKey(name: FixtureKeyName): Promise<SigningKey> {
  const pem = readFileSync(`${KEYS}${name}.pem`, 'utf8');
  const kid = readFileSync(`${KEYS}${name}.pem.kid`, 'utf8').trim();
  return signingKeyFromPem(pem, kid, name);
}

const loaded: Record<FixtureKeyName, SigningKey> = {
  platform: await readFixtureKey('platform'),
  tool: await readFixtureKey('tool'),
  other: await readFixtureKey('other'),
};

export function fixtureKey(name: FixtureKeyName): SigningKey {
  return loaded[name];
}

export const FIXTURE_KEYS = { platform: fixtureKey('platform'), tool: fixtureKey('tool') };

export function demoConfig(raw: Record<string, unknown> = {}): Config {
  return parseConfig(
    {
      tool: { domain: 'university.inspera.com', customParameters: { enroll_candidates: 'true' } },
      platform: { platformId: 'https://moodle.example.edu', clientId: 'EhdzqulqmXxNDkw', deploymentId: '3' },
      ...raw,
    },
    'test',
  ).config;
}
