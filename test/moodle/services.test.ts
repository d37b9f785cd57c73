import { describe, expect, it } from 'vitest';
import { moodle, site, toolAt } from './harness/site.js';
import { asToolFlags, cli, passwordFile, useWorkDir } from './helpers.js';

const workPath = useWorkDir({ restoreTool: true });

async function simulate(kind: 'launch' | 'grade', who: 'ada' | 'alan' | 'teacher', extra: string[] = []) {
  const person = moodle().users[who];
  const result = await cli(
    [
      'simulate',
      kind,
      '--json',
      ...asToolFlags(),
      '--username',
      who,
      '--password-file',
      await passwordFile(workPath(), person),
      ...extra,
    ],
    workPath(),
  );
  return { ...result, doc: JSON.parse(result.stdout) };
}

describe('simulate grade --platform-url: token.php, the score, and what Moodle then holds', () => {
  it("reads back the grade Moodle now holds for the user, scaled to the activity's maximum", async () => {
    const ada = moodle().users.ada;
    const first = await simulate('grade', 'ada');
    expect(first.doc.grade.verdict, first.stdout).toBe(
      `Moodle holds 80/100 for user ${ada.id} (the 8/10 posted, read back through AGS results)`,
    );
    expect(first.doc.grade.token.granted).toEqual(
      expect.arrayContaining([
        'https://purl.imsglobal.org/spec/lti-ags/scope/score',
        'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
      ]),
    );
    expect(first.code).toBe(0);
    // A new mark replaces it: the read back is what Moodle holds, not what was sent. Moodle keeps a grade's time in
    // whole seconds and refuses a score that is not newer (409), so the second one waits for the next second.
    await new Promise((r) => setTimeout(r, 1100));
    const second = await simulate('grade', 'ada', ['--score', '0.35']);
    expect(second.doc.grade.readBack, second.doc.grade.verdict + second.doc.launch.verdict).toMatchObject({
      resultScore: 35,
      resultMaximum: 100,
    });
    expect(second.code).toBe(0);
  });

  it("a score with an older timestamp is Moodle's 409 refusal, not a success", async () => {
    const alan = moodle().users.alan;
    const result = await simulate('grade', 'alan', ['--scenario', 'score-older-timestamp']);
    expect(result.code).toBe(1);
    const refused = result.doc.grade.scores.find((s: { status: number }) => s.status === 409);
    expect(refused.reason).toMatch(
      new RegExp(`^Refusing score with an earlier timestamp for item \\d+ and user ${alan.id}$`),
    );
    expect(result.doc.grade.ok).toBe(false);
    expect(result.doc.scenario.reproduced).toBe(true);
  });
});

describe('candidate auto-provisioning against a real Moodle (NRPS)', () => {
  it('an instructor launch lists who would become candidates, reading every page Moodle links', async () => {
    const { users } = moodle();
    const result = await simulate('launch', 'teacher', ['--nrps-page-size', '1']);
    expect(result.code).toBe(0);
    const p = result.doc.launch.provisioning;
    expect(p.pages).toHaveLength(3);
    expect(p.pages.slice(1).map((page: { url: string }) => new URL(page.url).searchParams.get('from'))).toEqual([
      '1',
      '2',
    ]);
    expect(p.plan.candidates.map((c: { userId: string }) => c.userId).sort()).toEqual(
      [String(users.ada.id), String(users.alan.id)].sort(),
    );
    expect(p.plan.candidates.find((c: { userId: string }) => c.userId === String(users.ada.id))).toMatchObject({
      name: 'Ada Lovelace',
      email: 'ada@example.edu',
    });
    // Moodle's NRPS names roles "Instructor", where the id_token says …membership#Instructor: both are read.
    expect(p.plan.skipped).toEqual([{ userId: String(users.teacher.id), reason: 'not a learner (Instructor)' }]);
  });

  it('privacy Never for e-mail: learners are skipped with the reason (skip_incomplete_members)', async () => {
    const info = moodle();
    await site('update-type', {
      typeid: info.details.typeid,
      tool: toolAt(`http://127.0.0.1:${info.toolPort}`, { shareEmail: 'never' }),
    });
    const result = await simulate('launch', 'teacher');
    const p = result.doc.launch.provisioning;
    expect(p.plan.candidates).toEqual([]);
    expect(p.plan.skipped.filter((k: { reason: string }) => /no e-mail/.test(k.reason))).toHaveLength(2);
  });

  it('NRPS off: no membership to read, and the report says so', async () => {
    const info = moodle();
    await site('update-type', {
      typeid: info.details.typeid,
      tool: toolAt(`http://127.0.0.1:${info.toolPort}`, { nrps: 0 }),
    });
    const result = await simulate('launch', 'teacher');
    expect(result.doc.launch.provisioning.summary).toMatch(/no NRPS claim/);
    expect(result.doc.launch.provisioning.ok).toBe(false);
  });
});
