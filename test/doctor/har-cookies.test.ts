import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDoctor, type DoctorResult } from '../../src/doctor/doctor.js';
import { readHar } from '../../src/doctor/har/read.js';
import { toHar } from '../../src/sim/har.js';
import { findScenario } from '../../src/sim/scenarios.js';
import { simulate } from '../../src/sim/simulate.js';
import { FIXTURE_KEYS, demoConfig } from '../helpers/sim.js';

/** What a capture shows about cookies, read as evidence (issue 23, items 1–3): captures the CLI's own browser made. */
let dir: string;
beforeAll(async () => (dir = await mkdtemp(join(tmpdir(), 'inspera-lti-cookies-'))));
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function diagnosed(scenario: string): Promise<DoctorResult> {
  const result = await simulate({ config: demoConfig(), keys: FIXTURE_KEYS, scenario: findScenario(scenario)! });
  const file = join(dir, `${scenario}.har`);
  await writeFile(file, JSON.stringify(toHar(result.launch.steps)));
  return runDoctor({ config: demoConfig(), har: { entries: await readHar(file), source: file } });
}

const failing = (report: DoctorResult) => report.problems.filter((p) => p.severity === 'fail').map((p) => p.cause.id);
const seen = (report: DoctorResult, id: string) =>
  report.problems
    .find((p) => p.cause.id === id)
    ?.findings.map((f) => f.finding)
    .join(' ');

describe("doctor --har reads whether Moodle's session reached auth.php", () => {
  it(
    'a tool sending "repost": the cookie stayed behind, says why, and ' + 'the prescribed Redirection URI is no cause',
    async () => {
      const report = await diagnosed('tool-sends-repost');
      expect(report.timeline.join('\n')).toMatch(
        /Moodle's session cookie \(MoodleSession, SameSite=.+\) did not go with the request to auth\.php/,
      );
      expect(failing(report)[0]).toBe('repost');
      expect(seen(report, 'launch-state-lost')).toMatch(
        /did not go with the request to auth\.php: the tool sent a "repost"/,
      );
      // The tool sent exactly the Redirection URI the config prescribes: that evidence clears it.
      expect(failing(report)).not.toContain('redirect-uri');
      expect(report.passed.map((p) => p.id)).toContain('har.redirect-uri');
    },
  );

  it('a Redirection URI Moodle does not have: the session went with the request, so the URI comes first', async () => {
    const report = await diagnosed('redirect-uri-not-registered');
    expect(report.timeline.join('\n')).toMatch(/\) went with the request to auth\.php/);
    expect(failing(report)[0]).toBe('redirect-uri');
  });
});

describe('the fix follows the evidence', () => {
  it('a Lax state cookie in a new window is fixed in the cookie (Inspera), not by the launch container', async () => {
    const report = await diagnosed('tool-cookie-samesite-lax');
    const top = report.problems[0]!;
    expect(top.cause.id).toBe('tool-cookie-attributes');
    expect(top.cause.fix.system).toBe('Inspera');
    expect(top.cause.fix.field).not.toBe('Default launch container');
    expect(failing(report)).not.toContain('state-cookie');
  });

  it("a good cookie kept back in an iframe is the launch container's: New window", async () => {
    const report = await diagnosed('lost-state-cookie');
    const top = report.problems[0]!;
    expect(top.cause.id).toBe('state-cookie');
    expect(top.cause.fix.field).toBe('Default launch container');
    expect(seen(report, 'state-cookie')).toMatch(/The launch ran inside an iframe\./);
  });
});
