import type { ChalkInstance } from 'chalk';
import type { CheckResult } from '../core/result.js';
import type { Report } from './reporters.js';
import { troubleshootingRef } from '../doctor/catalogue.js';
import { fixLine } from '../core/fix-text.js';
import { renderChecks, shownValue, statusMark } from './human-checks.js';
import type { BrowserStep } from '../sim/browser.js';
import { runVerdict } from '../sim/results.js';
import type { SimulationResult } from '../sim/simulate.js';
import { printable } from '../util/printable.js';
import { redact } from '../util/redact.js';

function shorten(value: string): string {
  if (/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/.test(value)) return `${value.slice(0, 16)}…(${value.length} chars)`;
  return value.length > 90 ? `${value.slice(0, 87)}…` : value;
}

function renderStep(step: BrowserStep, s: ChalkInstance): string[] {
  const status =
    step.status >= 400
      ? s.red(String(step.status))
      : step.status >= 300
        ? s.yellow(String(step.status))
        : s.green(String(step.status));
  const lines = [
    `  ${String(step.n).padStart(2)}. ${step.method.padEnd(4)} ` +
      `${step.url.split('?')[0]} → ${status}${step.note ? s.dim(`  ${step.note}`) : ''}`,
  ];
  const sent = Object.entries(step.sent);
  if (sent.length) lines.push(s.dim(`      sent: ${sent.map(([k, v]) => `${k}=${shorten(v)}`).join('  ')}`));
  if (step.form && Object.keys(step.form.fields).length && step.n) {
    lines.push(
      s.dim(
        `      answer: form "${step.form.name}" → ${step.form.action.split('?')[0]} ` +
          `(${Object.keys(step.form.fields).join(', ')})`,
      ),
    );
  }
  return lines;
}

/** A simulation for a person: each step, the decoded id_token, the tool's checks, grade steps, the verdict. */
function renderSimulation(kind: string, result: SimulationResult, s: ChalkInstance): string[] {
  const { launch, grade, world } = result;
  const lines: string[] = [];
  lines.push(
    s.bold(`inspera-lti simulate ${kind}`) +
      ` — user ${world.user}, client ${world.clientId}, deployment ${world.deploymentId}`,
  );
  lines.push(
    s.dim(`  Moodle ${world.platform}${world.platformServer ? ` (embedded at ${world.platformServer})` : ''}`),
  );
  lines.push(s.dim(`  Inspera ${world.tool}${world.toolServer ? ` (embedded at ${world.toolServer})` : ''}`));
  lines.push('', s.bold('Steps'));
  for (const step of launch.steps) lines.push(...renderStep(step, s));
  if (launch.platformError)
    lines.push(
      `  ${s.red('Moodle answered')} error=${printable(launch.platformError.error, 200)}` +
        (launch.platformError.description
          ? ` error_description="${printable(launch.platformError.description, 300)}"`
          : ''),
    );
  if (launch.cause && !result.scenario) {
    lines.push('', `${s.bold('Cause:')} ${launch.cause.title} — ${launch.cause.why}`);
    lines.push(
      `  Fix in ${fixLine(launch.cause.fix, shownValue(s))} ${s.dim(`[${troubleshootingRef(launch.cause.id)}]`)}`,
    );
  }
  if (launch.tool?.header || launch.tool?.payload) {
    lines.push('', s.bold('id_token'));
    lines.push(`  header  ${JSON.stringify(launch.tool.header)}`);
    lines.push('  payload ' + JSON.stringify(launch.tool.payload, null, 2).split('\n').join('\n          '));
  }
  if (launch.tool?.results.length) {
    lines.push('', s.bold('Checks by the tool'));
    lines.push(...renderChecks(launch.tool.results, s));
  }
  const provisioning = launch.tool?.provisioning;
  if (provisioning) {
    lines.push('', s.bold('Candidate auto-provisioning (NRPS)'));
    lines.push(`  ${provisioning.ok ? s.green('✔') : s.yellow('!')} ${provisioning.summary}`);
    for (const page of provisioning.pages ?? [])
      lines.push(s.dim(`    GET ${page.url} → ${page.status} (${page.members} members)`));
    for (const c of provisioning.plan?.candidates ?? [])
      lines.push(`    candidate  user ${c.userId}  ${c.name} <${c.email}>`);
    for (const k of provisioning.plan?.skipped ?? []) lines.push(s.dim(`    skipped    user ${k.userId}  ${k.reason}`));
    for (const b of provisioning.plan?.blocking ?? [])
      lines.push(s.red(`    stops      user ${b.userId}  ${b.reason} (set skip_incomplete_members=true to skip)`));
  }
  if (launch.replay) {
    lines.push('', s.bold('Replay of the same id_token'));
    lines.push(
      ...renderChecks(
        launch.replay.results.filter((r) => r.status !== 'pass'),
        s,
      ),
    );
  }
  if (grade) {
    lines.push('', s.bold('Grade (AGS)'));
    if (grade.token) {
      lines.push(`  token.php: asked ${grade.token.requested.map((x) => x.split('/').pop()).join(' ')}`);
      const granted = grade.token.granted?.map((x) => x.split('/').pop()).join(' ');
      const answered = grade.token.error
        ? s.red(`→ HTTP ${grade.token.status}: ${grade.token.error}`)
        : s.green(`→ granted ${granted} (${grade.token.expiresIn} s)`);
      lines.push(`             ${answered}`);
      lines.push(
        s.dim(
          `             assertion ${JSON.stringify(grade.token.assertion.header)} ` +
            `sub=${String(grade.token.assertion.payload.sub)}`,
        ),
      );
    }
    for (const post of grade.scores) {
      const mark = post.status === 200 ? s.green('200') : s.red(`${post.status} ${post.reason}`);
      lines.push(`  POST ${post.url} → ${mark}`);
      lines.push(s.dim(`       ${JSON.stringify(post.score)}`));
    }
    if (grade.readBack !== undefined) {
      const held = grade.readBack;
      // A result without a score is a person Moodle has not graded yet, not a score of "nothing out of something".
      const holds = !held
        ? '(no result for this user)'
        : held.resultScore === undefined || held.resultScore === null
          ? `Moodle holds no grade yet — GET ${held.url.split('?')[0]}`
          : `Moodle holds ${held.resultScore}/${held.resultMaximum ?? '?'}` +
            `${held.timestamp ? ` (${held.timestamp})` : ''} — GET ${held.url.split('?')[0]}`;
      lines.push(`  read back: ${holds}`);
    }
  }
  if (result.scenario) {
    const sc = result.scenario;
    lines.push('', s.bold(`Scenario ${sc.name}`) + ` — ${sc.title}`);
    lines.push(`  What the user meets: ${sc.symptom}`);
    lines.push(`  Cause: ${sc.cause}`);
    lines.push(`  Fix in ${fixLine(sc.fix, shownValue(s))} ${s.dim(`[${troubleshootingRef(sc.diagnosis)}]`)}`);
    const why = sc.unreproducedBecause ? printable(sc.unreproducedBecause, 1000) : 'the run did not show this symptom';
    if (sc.doesNotApply) lines.push(`  Does not apply: ${sc.doesNotApply}`);
    else lines.push(`  Reproduced: ${sc.reproduced ? s.green('yes') : s.red(`no — ${why}`)}`);
  }
  for (const note of result.notes ?? []) lines.push('', `${s.yellow('Note:')} ${printable(note, 1000)}`);
  lines.push('');
  // The verdict quotes what the tool answered: text from outside.
  const verdict = printable(runVerdict(result), 2000);
  lines.push(`${statusMark(result.ok ? 'pass' : 'fail', s)} ${s.bold('Verdict:')} ${verdict}`);
  return lines;
}

/** simulate's JSON document for one run. */
function simulationJson(kind: string, result: SimulationResult, checks: CheckResult[]) {
  const { launch, grade } = result;
  return {
    ok: result.ok,
    kind,
    world: result.world,
    scenario: result.scenario ?? null,
    notes: result.notes ?? [],
    launch: {
      ok: launch.ok,
      stage: launch.stage,
      verdict: launch.verdict,
      steps: launch.steps.map((s) => ({
        n: s.n,
        method: s.method,
        url: s.url,
        status: s.status,
        sent: s.sent,
        ...(s.location ? { location: s.location } : {}),
        ...(s.form ? { form: s.form.name } : {}),
        note: s.note ?? null,
      })),
      idToken: launch.idToken ?? null,
      header: launch.tool?.header ?? null,
      payload: launch.tool?.payload ?? null,
      platformError: launch.platformError ?? null,
      cause: launch.cause ?? null,
      toolChecks: launch.tool?.results ?? [],
      provisioning: launch.tool?.provisioning ?? null,
      // The second post of the same id_token (--scenario nonce-replay): our tool's findings, another tool's status.
      replay: launch.replay
        ? {
            refused: !launch.replay.ok,
            findings: launch.replay.results.filter((r) => r.status === 'fail').map((r) => r.finding),
          }
        : launch.replayAnswer
          ? { refused: launch.replayAnswer.refused, status: launch.replayAnswer.status }
          : null,
    },
    grade: grade ?? null,
    checks,
  };
}

/**
 * The JSON without the run's secrets (a session's sesskey inside a decoded return_url, a logintoken, cookie values).
 * The raw id_token stays only when the embedded platform signed it (its key signs for nothing real, and doctor
 * --token reads it back); a real Moodle's is a live credential for a minute and is never printed.
 */
function redactedJson(doc: ReturnType<typeof simulationJson>, result: SimulationResult): unknown {
  const idToken = doc.launch.idToken;
  const clean = JSON.parse(redact(JSON.stringify(doc))) as typeof doc;
  clean.launch.idToken =
    idToken && result.world.platformServer ? idToken : idToken ? '[redacted: signed by a real Moodle]' : null;
  return clean;
}

/**
 * The report of a run with --expect reproduced: the verdict follows the expectation. The scenario is the test case
 * (passing when it was reproduced), and the launch's failing checks — the failure it was asked to make — are its
 * output, not failures of their own.
 */
export function expectedReport(report: Report, result: SimulationResult, checks: CheckResult[]): Report {
  const scenario = result.scenario;
  if (!scenario) return report;
  return {
    ...report,
    results: () => [
      {
        id: `scenario.${scenario.name}`,
        title: `${scenario.title} (--expect reproduced)`,
        status: scenario.reproduced ? 'pass' : 'fail',
        finding: scenario.reproduced
          ? 'reproduced, as expected'
          : (scenario.doesNotApply ?? 'not reproduced: the run did not show this symptom'),
      },
      ...checks.map(
        (c): CheckResult =>
          c.status === 'fail' ? { ...c, status: 'warn', finding: `as the scenario makes it: ${c.finding}` } : c,
      ),
    ],
  };
}

/** One simulation for the reporters (load mode has its own figures). */
export function simulationReport(
  kind: string,
  result: SimulationResult,
  checks: CheckResult[],
  seconds: number,
): Report {
  return {
    name: `simulate ${kind}${result.scenario ? ` --scenario ${result.scenario.name}` : ''}`,
    seconds,
    results: () => checks,
    json: () => redactedJson(simulationJson(kind, result, checks), result),
    human: (s) => renderSimulation(kind, result, s).map(redact),
    html: async (meta) => {
      const [{ launchHtml }, { pictureFromSimulation }] = await Promise.all([
        import('./html.js'),
        import('./picture-from.js'),
      ]);
      return launchHtml(pictureFromSimulation(kind, result, checks), meta);
    },
  };
}
