import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDoctor } from '../../src/doctor/doctor.js';
import { readHar } from '../../src/doctor/har/read.js';
import { evidenceFromLive, evidenceFromToken, versionNotes } from '../../src/doctor/moodle-version.js';
import { moodleRelease, releaseFromReleaseText, releaseFromVersionNumber } from '../../src/moodle/versions.js';
import { toHar } from '../../src/sim/har.js';
import { findScenario } from '../../src/sim/scenarios.js';
import { simulate } from '../../src/sim/simulate.js';
import { FIXTURE_KEYS, demoConfig } from '../helpers/sim.js';

/** doctor knows the Moodle version from evidence (issue 20, item 4), and says which explanations depend on it. */
let dir: string;
beforeAll(async () => (dir = await mkdtemp(join(tmpdir(), 'inspera-lti-versions-'))));
afterAll(async () => rm(dir, { recursive: true, force: true }));

const TOOL_PLATFORM = 'https://purl.imsglobal.org/spec/lti/claim/tool_platform';

describe('the Moodle version from evidence', () => {
  it('reads $CFG->version and $CFG->release as Moodle writes them, weekly builds included', () => {
    expect(releaseFromVersionNumber('2024100706')?.number).toBe('4.5.6');
    expect(releaseFromVersionNumber('2024100712')?.line.wire.sessionSameSite).toBe('lax');
    expect(releaseFromVersionNumber('2025041406.11')?.number).toBe('5.0.6');
    expect(releaseFromVersionNumber('2023042401')?.line.wire.cookiesHttpOnly).toBe(false);
    expect(releaseFromVersionNumber('2019111800')).toBeUndefined();
    expect(releaseFromVersionNumber('not a version')).toBeUndefined();
    expect(releaseFromReleaseText('5.0.6+ (Build: 20260403)')?.number).toBe('5.0.6');
    expect(
      evidenceFromLive([
        { id: 'x', title: 'x', status: 'pass', finding: '', observed: { moodleVersion: '4.2.1 (Build: 20230612)' } },
      ])?.release?.number,
    ).toBe('4.2.1');
  });

  it('says the repost failure is MDL-83526 on a Lax Moodle, and what it means on an older one', () => {
    const after = evidenceFromToken({ [TOOL_PLATFORM]: { version: '2025100605' } })!;
    expect(after.release?.number).toBe('5.1.5');
    expect(versionNotes(['repost'], [after]).notes.repost).toMatch(/SameSite=Lax .*it is past the update/);
    const before = evidenceFromToken({ [TOOL_PLATFORM]: { version: '2024100706' } })!;
    expect(versionNotes(['repost'], [before]).notes.repost).toMatch(
      /SameSite=None for Chrome over https \(the id_token's tool_platform\.version 2024100706; before MDL-83526\)/,
    );
    expect(versionNotes(['repost'], [before]).notes.repost).toMatch(
      /an http site, in Chrome .* Firefox and Safari do not/,
    );
  });

  it('a capture whose session cookie has no SameSite: before MDL-83526 over http, never blamed on an update', () => {
    const absent = { sessionSameSite: 'absent' as const, from: 'the MoodleSession cookie set at /login/index.php' };
    const { notes, unknown } = versionNotes(['repost'], [absent]);
    expect(unknown).toBeUndefined();
    expect(notes.repost).toMatch(/without SameSite .* before MDL-83526, served over http .* not because of an update/);
    expect(notes.repost).toMatch(/serve Moodle over https/);
  });

  it('names what depends on the version when nothing shows it; nothing when no explanation does', () => {
    expect(versionNotes(['repost'], []).unknown).toMatch(
      /the Moodle version, which decides whether this is the failure of MDL-83526 \(Moodle 4\.5\.12, 5\.0\.8,/,
    );
    expect(versionNotes(['issuer-mismatch', 'redirect-uri'], [])).toEqual({ notes: {} });
  });

  it('doctor --har on a capture of Moodle 5.1.5: its session cookie is Lax, so repost is MDL-83526', async () => {
    const result = await simulate({
      config: demoConfig(),
      keys: FIXTURE_KEYS,
      scenario: findScenario('tool-sends-repost')!,
      overrides: { moodle: moodleRelease('5.1.5') },
    });
    const file = join(dir, 'repost.har');
    await writeFile(file, JSON.stringify(toHar(result.launch.steps)));
    const report = await runDoctor({ config: demoConfig(), har: { entries: await readHar(file), source: file } });
    expect(report.moodle).toEqual({
      sessionSameSite: 'Lax',
      from: 'the MoodleSession cookie set at /login/index.php in the capture',
    });
    const repost = report.problems.find((p) => p.cause.id === 'repost')!;
    expect(repost.cause.explanation).toMatch(/Since MDL-83526 .* it is past the update, so this is that failure\./);
    expect(repost.cause.fix.action).toMatch(/Meanwhile the site cannot set the cookie back/);
    expect(report.unchecked.map((u) => u.what).join(' ')).not.toMatch(/the Moodle version/);
  });
});

describe('the score-timestamp cause by version', () => {
  it('on 4.2 the grade keeps the server time, and says so; on 4.5 nothing is added; unknown is said', () => {
    const old = evidenceFromToken({ [TOOL_PLATFORM]: { version: '2023042401' } })!;
    expect(versionNotes(['score-timestamp'], [old]).notes['score-timestamp']).toMatch(
      /On Moodle 4\.2\.1 the grade keeps the server's time/,
    );
    const current = evidenceFromToken({ [TOOL_PLATFORM]: { version: '2024100706' } })!;
    expect(versionNotes(['score-timestamp'], [current])).toEqual({ notes: {} });
    expect(versionNotes(['score-timestamp'], []).unknown).toMatch(/which time the grade keeps/);
  });
});
