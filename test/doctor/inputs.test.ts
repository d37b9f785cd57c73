import { describe, expect, it } from 'vitest';
import { runDoctor } from '../../src/doctor/doctor.js';
import { redact } from '../../src/util/redact.js';
import { signJwt } from '../../src/lti/sign.js';
import { demoConfig, fixtureKey } from '../helpers/sim.js';

const tool = fixtureKey('tool');
const config = demoConfig({
  platform: {
    platformId: 'https://moodle.example.edu',
    clientId: 'EhdzqulqmXxNDkw',
    deploymentId: '3',
    accessTokenUrl: 'https://moodle.example.edu/mod/lti/token.php',
  },
});

describe('doctor on a client assertion, as token.php judges it', () => {
  it('names an unknown sub, a missing kid and an iat in the future', async () => {
    const now = Math.floor(Date.now() / 1000);
    const assertion = await signJwt(
      {
        iss: 'WrongClient1234',
        sub: 'WrongClient1234',
        aud: 'https://moodle.example.edu/mod/lti/token.php',
        iat: now + 90,
        exp: now + 300,
      },
      tool,
      { kid: null },
    );
    const report = await runDoctor({ config, token: { text: assertion, source: 'pasted' } });
    const causes = report.problems.map((p) => p.cause.id);
    expect(causes).toEqual(expect.arrayContaining(['client-unknown', 'tool-key', 'clock-skew']));
    expect(report.problems.find((p) => p.cause.id === 'tool-key')!.findings[0]!.finding).toContain(
      'kid must be provided',
    );
  });

  it('passes a good assertion', async () => {
    const now = Math.floor(Date.now() / 1000);
    const assertion = await signJwt(
      {
        iss: 'EhdzqulqmXxNDkw',
        sub: 'EhdzqulqmXxNDkw',
        aud: 'https://moodle.example.edu/mod/lti/token.php',
        iat: now,
        exp: now + 300,
      },
      tool,
    );
    const report = await runDoctor({ config, token: { text: assertion, source: 'pasted' } });
    expect(report.problems).toEqual([]);
    expect(report.passed.map((p) => p.id)).toEqual(['assertion.sub', 'assertion.kid']);
  });
});

describe('doctor on the config alone', () => {
  it('orders a broken value before missing features', async () => {
    const broken = demoConfig({
      platform: { platformId: 'https://moodle.example.edu/', clientId: 'EhdzqulqmXxNDkw', deploymentId: '3' },
      moodle: { services: { nrps: false }, privacy: { shareEmail: 'never' } },
    });
    const report = await runDoctor({ config: broken, configSource: 'x.yaml' });
    // enroll_candidates=true with NRPS off is a broken feature (fail), privacy Never a missing one (warn).
    expect(report.problems.map((p) => p.cause.id)).toEqual(['issuer-mismatch', 'nrps-off', 'privacy']);
    expect(report.verdict).toContain('Platform ID (issuer) does not match');
  });
});

describe('redact', () => {
  it('removes tokens, bearer values, cookie values and keys; keeps ids', () => {
    const text =
      'id_token=eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiI0MiJ9.c2ln Bearer ' +
      'abc123 MoodleSession=s3cr3t; client EhdzqulqmXxNDkw\n-----BEGIN ' +
      'PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----';
    const out = redact(text);
    expect(out).not.toMatch(/eyJhbGci|abc123|s3cr3t|MIIE/);
    expect(out).toContain('EhdzqulqmXxNDkw');
  });
});

describe('doctor with live check results', () => {
  it('takes the causes the validate checks attach, and keeps the passes', async () => {
    const live = [
      {
        id: 'platform.token',
        title: 'Moodle token endpoint knows the Client ID',
        status: 'fail' as const,
        finding: 'token.php answered invalid_client',
        cause: { id: 'client-unknown' as const },
      },
      { id: 'tool.keyset', title: 'Inspera keyset (key-url)', status: 'pass' as const, finding: '1 key' },
      {
        id: 'platform.clock',
        title: 'Clock skew against Moodle',
        status: 'warn' as const,
        finding: "Moodle's clock is 9 s behind",
        cause: { id: 'clock-skew' as const },
      },
    ];
    const report = await runDoctor({ config, live });
    expect(report.problems.map((p) => [p.cause.id, p.severity])).toEqual([
      ['client-unknown', 'fail'],
      ['clock-skew', 'warn'],
    ]);
    expect(report.passed.map((p) => p.id)).toEqual(['live.tool.keyset']);
    expect(report.inputs).toEqual(['live checks (3)']);
  });
});
