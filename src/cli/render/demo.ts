import { fixLine } from '../../core/fix-text.js';
import { statusMark } from '../../report/human-checks.js';
import type { DemoResult } from '../../sim/demo.js';
import { SCENARIOS } from '../../sim/scenarios.js';
import type { Output } from '../output.js';

/** The demo for a person, run by run, or as one JSON document; the exit code. */
export function presentDemo(
  out: Output,
  result: DemoResult,
  how: { seconds: number; moodle: string; next: string },
): number {
  const s = out.style;
  const instructor = result.runs[0]!.result.world;
  if (out.json) {
    out.emitJson({
      ok: result.ok,
      seconds: how.seconds,
      world: instructor,
      summary: result.runs.map((r) => ({
        title: r.title,
        asExpected: r.asExpected,
        ok: r.result.ok,
        verdict: r.result.grade?.verdict ?? r.result.launch.verdict,
        scenario: r.result.scenario ?? null,
      })),
      storedTool: {
        asExpected: result.storedOk,
        found: result.stored.before.filter((r) => r.status === 'fail').map((r) => r.finding),
        changed: result.stored.changes.map((c) => c.label),
        after: result.stored.after.filter((r) => r.status === 'fail').map((r) => r.finding),
      },
    });
    return result.ok ? 0 : 1;
  }
  out.print(
    s.bold('inspera-lti demo') +
      ` — Moodle ${instructor.platform} ↔ Inspera ${instructor.tool.replace(/\/ltiprovider\/init$/, '')}`,
  );
  out.print(
    s.dim(
      `  both embedded on 127.0.0.1; Moodle ${how.moodle}; client ${instructor.clientId}, ` +
        `deployment ${instructor.deploymentId}; ` +
        `real RS256 signatures`,
    ),
  );
  for (const run of result.runs) {
    const { result: ran } = run;
    out.print('');
    out.print(`${statusMark(run.asExpected ? 'pass' : 'fail', s)} ${s.bold(run.title)}`);
    if (run.expectOk) {
      const payload = ran.launch.tool?.payload;
      const roles = (payload?.['https://purl.imsglobal.org/spec/lti/claim/roles'] as string[] | undefined)
        ?.map((r) => r.split('#').pop())
        .join(', ');
      out.print(
        `    ${ran.launch.steps.length} HTTP steps, ` +
          `${ran.launch.tool?.results.filter((r) => r.status === 'pass').length ?? 0} ` +
          `checks passed; roles: ${roles ?? '?'}`,
      );
      out.print(`    ${ran.launch.verdict}`);
      for (const warning of ran.launch.tool?.results.filter((r) => r.status === 'warn') ?? [])
        out.print(`    ${s.yellow('!')} ${warning.finding}`);
      if (ran.grade) {
        const post = ran.grade.scores[0];
        const granted = ran.grade.token?.granted?.map((x) => x.split('/').pop()).join(' ') ?? '-';
        const score = post ? `${post.score.scoreGiven}/${post.score.scoreMaximum} → HTTP ${post.status}` : 'not posted';
        out.print(`    token.php granted ${granted}; score ${score}`);
        out.print(`    ${ran.grade.verdict}`);
      }
    } else {
      const sc = ran.scenario!;
      if (sc.doesNotApply) {
        out.print(`    does not apply: ${sc.doesNotApply}`);
        continue;
      }
      out.print(`    what the user meets: ${ran.launch.verdict}`);
      out.print(`    cause: ${sc.cause}`);
      out.print(`    fix in ${fixLine(sc.fix)}`);
    }
  }
  out.print('');
  const storedTitle = 'The tool as Moodle stores it (doctor --moodle, init --apply)';
  out.print(`${statusMark(result.storedOk ? 'pass' : 'fail', s)} ${s.bold(storedTitle)}`);
  for (const finding of result.stored.before.filter((r) => r.status === 'fail'))
    out.print(`    doctor --moodle: ✖ ${finding.title}: ${finding.finding}`);
  for (const change of result.stored.changes)
    out.print(`    init --apply: ${change.label}: ${JSON.stringify(change.from)} → ${JSON.stringify(change.to)}`);
  const stillFailing = result.stored.after.some((r) => r.status === 'fail');
  out.print(
    `    then: ${stillFailing ? 'still failing' : `all ${result.stored.after.length} checks of the stored tool pass`}`,
  );
  out.print('');
  out.print(
    `${statusMark(result.ok ? 'pass' : 'fail', s)} ` +
      `${s.bold(result.ok ? 'Demo complete' : 'Demo found a problem')} ` +
      `in ${how.seconds} s. Next: ${s.cyan(`${how.next} simulate launch --list-scenarios`)} ` +
      `for all ${SCENARIOS.length} failure scenarios, ` +
      `${s.cyan(`${how.next} init --domain <your tenant>`)} ` +
      `to set up yours.`,
  );
  return result.ok ? 0 : 1;
}
