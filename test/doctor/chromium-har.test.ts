import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { runDoctor } from '../../src/doctor/doctor.js';
import { readHar } from '../../src/doctor/har/read.js';
import { fixtureKey } from '../helpers/sim.js';

const HAR = fileURLToPath(new URL('../../fixtures/har/', import.meta.url));

describe('doctor on captures recorded from real headless Chromium', () => {
  it('a healthy cross-site launch: healthy, with the state cookie sent back and the signature verified', async () => {
    const { config, filepath } = await loadConfig({ cwd: HAR });
    const report = await runDoctor({
      config,
      configSource: filepath!,
      har: { entries: await readHar(`${HAR}chromium-healthy.har`), source: 'chromium-healthy.har' },
      keyset: { keys: [fixtureKey('platform').jwk] },
    });
    expect(report.problems.map((p) => p.cause.id)).toEqual([]);
    expect(report.passed.map((p) => p.id)).toEqual(
      expect.arrayContaining(['har.state-cookie', 'har.tool-answer', 'token.jwt.signature', 'token.claim.exp']),
    );
  });

  it(
    'an embedded launch with third-party cookies blocked: the lost ' + 'state cookie, with the iframe as the reason',
    async () => {
      const { config } = await loadConfig({ cwd: HAR });
      const report = await runDoctor({
        config,
        har: { entries: await readHar(`${HAR}chromium-iframe-blocked-cookies.har`), source: 'iframe.har' },
      });
      expect(report.problems[0]?.cause.id).toBe('state-cookie');
      expect(report.problems[0]?.findings.map((f) => f.finding).join('\n')).toContain(
        'The launch ran inside an iframe.',
      );
    },
  );

  it('"Invalid request" from Moodle: the redirect URI first', async () => {
    const { config } = await loadConfig({ cwd: HAR });
    const report = await runDoctor({
      config,
      har: { entries: await readHar(`${HAR}chromium-redirect-uri.har`), source: 'chromium-redirect-uri.har' },
    });
    expect(report.problems[0]?.cause.id).toBe('redirect-uri');
    expect(report.problems[0]?.findings[0]?.fix?.value).toBe('http://localhost:18082/ltiprovider/launch');
  });
});
