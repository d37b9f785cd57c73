import type { ChalkInstance } from 'chalk';
import type { DoctorResult } from '../doctor/doctor.js';
import { portableTroubleshootingRef, troubleshootingRef } from '../doctor/catalogue.js';
import { CAUSE_NOTES } from '../doctor/cause-notes.js';
import { redact } from '../util/redact.js';
import { fixLine } from '../core/fix-text.js';
import type { CheckResult, Fix } from '../core/result.js';
import type { HarEntry } from '../doctor/har/read.js';
import type { Report, ReportMeta } from './reporters.js';
import { jsonSafe, markdownSafe, printable } from '../util/printable.js';

/** Outside text (a token's claims, a page, a HAR) on its one line of the terminal, redacted. */
const line = (text: string) => printable(redact(text), 1000);
/** The same in a Markdown report. */
const md = (text: string) => markdownSafe(redact(text));

/** A finding may know the exact value for its cause's fix. */
function valueFor(problem: DoctorResult['problems'][number]): string | undefined {
  return problem.findings.find((f) => f.fix?.value)?.fix?.value;
}

/**
 * The fixes of a problem: one per field its findings name with a value of their own (two wrong fields of one cause
 * get two fixes, each with Moodle's label and its value); else the cause's fix, with the value a finding knows.
 */
function fixesOf(problem: DoctorResult['problems'][number]): Fix[] {
  const own = problem.findings.map((f) => f.fix).filter((fix): fix is Fix => fix?.field !== undefined);
  const distinct = own.filter(
    (fix, index) =>
      own.findIndex((o) => o.field === fix.field && o.value === fix.value && o.where === fix.where) === index,
  );
  if (distinct.length)
    return distinct.map((fix) => (fix.value === undefined ? fix : { ...fix, value: printable(fix.value, 1000) }));
  const value = shownValueFor(problem);
  return [{ ...problem.cause.fix, ...(value !== undefined ? { value } : {}) }];
}

/** The value as shown in a fix line: it may come from outside (a stored field), so it stays on its line. */
function shownValueFor(problem: DoctorResult['problems'][number]): string | undefined {
  const value = valueFor(problem);
  return value === undefined ? undefined : printable(value, 1000);
}

function verdictMark(result: DoctorResult, s: ChalkInstance): string {
  if (result.problems.some((p) => p.severity === 'fail') || !result.ok) return s.red('✖');
  return result.problems.length || result.accepted.length ? s.yellow('!') : s.green('✔');
}

/** Doctor's findings for a person; quiet: only the failures' causes and the verdict. */
function renderDoctor(result: DoctorResult, s: ChalkInstance, quiet = false): string[] {
  if (quiet) {
    const failing = { ...result, problems: result.problems.filter((p) => p.severity === 'fail') };
    return diagnosisLines(failing, s)
      .concat(result.decide ? [`  ${s.bold('→')} ${result.decide}`] : [])
      .concat(verdictLine(result, s));
  }
  const lines = [s.bold('inspera-lti doctor') + s.dim(` — looked at: ${result.inputs.join(', ') || 'nothing'}`)];
  if (result.moodle) lines.push(s.dim(`  ${moodleLine(result.moodle)}`));
  if (result.ticket) lines.push('', ...ticketLines(result.ticket, s));
  if (result.timeline.length) {
    lines.push('', s.bold('What happened'));
    for (const event of result.timeline) lines.push(`  ${line(event)}`);
  }
  if (result.problems.length) lines.push('', ...diagnosisLines(result, s));
  if (result.decide) lines.push('', `  ${s.bold('→')} ${result.decide}`);
  if (result.passed.length) {
    lines.push('', s.bold('Checks that passed'));
    for (const check of result.passed) lines.push(`  ${s.green('✔')} ${check.title}: ${s.dim(line(check.finding))}`);
  }
  if (result.accepted.length) {
    lines.push('', s.bold('Warnings the config accepts'));
    for (const check of result.accepted) lines.push(`  ${s.yellow('!')} ${check.title}: ${s.dim(line(check.finding))}`);
  }
  if (result.unchecked.length) {
    lines.push('', s.bold('Not checked'));
    for (const u of result.unchecked) lines.push(`  ${s.dim('–')} ${line(u.what)}`);
  }
  lines.push('', verdictLine(result, s));
  return lines;
}

/** What the inputs show of the Moodle's version. */
function moodleLine(moodle: NonNullable<DoctorResult['moodle']>): string {
  const what = moodle.release
    ? `Moodle ${moodle.release}`
    : `Moodle's session cookie: SameSite ${moodle.sessionSameSite ?? 'unknown'}`;
  return `${what} (from ${printable(redact(moodle.from), 300)})${moodle.support ? ` — ${moodle.support}` : ''}`;
}

/** The ticket's symptoms, each with its causes: ✖ what the inputs show, · what they do not. */
function ticketLines(ticket: NonNullable<DoctorResult['ticket']>, s: ChalkInstance): string[] {
  if (!ticket.symptoms.length) return [s.bold('The ticket says'), `  ${s.dim('no symptom doctor knows')}`];
  const lines = [s.bold('The ticket says')];
  for (const symptom of ticket.symptoms) {
    lines.push(
      `  ${symptom.said} ${s.dim(`("${line(symptom.words)}")`)} — its causes, most likely first ` +
        `(${s.red('✖')} what was given shows it):`,
    );
    for (const c of symptom.causes) lines.push(`    ${c.shown ? s.red('✖') : s.dim('·')} ${c.title}`);
  }
  return lines;
}

function verdictLine(result: DoctorResult, s: ChalkInstance): string {
  return `${verdictMark(result, s)} ${s.bold('Verdict:')} ${result.verdict}`;
}

function diagnosisLines(result: DoctorResult, s: ChalkInstance): string[] {
  if (!result.problems.length) return [];
  const lines = [s.bold('Diagnosis, most likely first')];
  result.problems.forEach((problem, index) => {
    const mark = problem.severity === 'fail' ? s.red('✖') : s.yellow('!');
    lines.push(
      `${String(index + 1).padStart(3)}. ${mark} ${s.bold(problem.cause.title)} ` +
        `${s.dim(`[${troubleshootingRef(problem.cause.id)}]`)}`,
    );
    for (const finding of problem.findings) lines.push(`       seen (${finding.source}): ${line(finding.finding)}`);
    lines.push(`       why: ${problem.cause.explanation}`);
    for (const fix of fixesOf(problem)) lines.push(`       ${s.green('fix')} in ${fixLine(fix, (v) => s.cyan(v))}`);
  });
  return lines;
}

/** The ticket report: Markdown, redacted (no tokens, cookies or keys; ids kept — support needs them). */
function doctorMarkdown(result: DoctorResult, meta: ReportMeta): string {
  const out = [
    `# LTI 1.3 diagnosis (Moodle ↔ Inspera)`,
    '',
    `Made by inspera-lti ${meta.version} on ${meta.when}. Inputs: ${md(result.inputs.join(', ')) || 'none'}.`,
    '',
    ...(result.moodle ? [`${md(moodleLine(result.moodle))}.`, ''] : []),
    `**Verdict:** ${md(result.verdict)}`,
    '',
  ];
  if (result.ticket) {
    out.push('## The ticket says', '');
    if (!result.ticket.symptoms.length) out.push('No symptom doctor knows.', '');
    for (const symptom of result.ticket.symptoms)
      out.push(
        `- ${symptom.said} ("${md(symptom.words)}"); its causes, most likely first: ` +
          symptom.causes.map((c) => `${c.shown ? '❌ ' : ''}${c.title}`).join('; '),
      );
    out.push('');
  }
  if (result.timeline.length) out.push('## What happened', '', ...result.timeline.map((l) => `- ${md(l.trim())}`), '');
  if (result.problems.length) {
    out.push('## Diagnosis (most likely first)', '');
    result.problems.forEach((problem, index) => {
      out.push(
        `### ${index + 1}. ${problem.severity === 'fail' ? '❌' : '⚠️'} ` +
          `${problem.cause.title} (${portableTroubleshootingRef(problem.cause.id)})`,
        '',
      );
      for (const finding of problem.findings) out.push(`- Seen (${finding.source}): ${md(finding.finding)}`);
      out.push(
        `- Why: ${problem.cause.explanation}`,
        ...fixesOf(problem).map((fix) => `- Fix in ${fixLine(fix, (v) => `\`${v.replace(/`/g, "'")}\``)}`),
        `- Confirm: ${CAUSE_NOTES[problem.cause.id]!.confirm}`,
        '',
      );
    });
    if (result.decide) out.push(md(result.decide), '');
  }
  if (result.token) {
    const claims = result.token.payload;
    const pick = [
      'iss',
      'aud',
      'sub',
      'iat',
      'exp',
      'https://purl.imsglobal.org/spec/lti/claim/deployment_id',
      'https://purl.imsglobal.org/spec/lti/claim/message_type',
      'https://purl.imsglobal.org/spec/lti/claim/roles',
    ];
    out.push(
      '## Token claims (ids only)',
      '',
      '```json',
      jsonSafe(
        JSON.stringify(
          {
            header: { alg: result.token.header.alg, kid: result.token.header.kid },
            ...Object.fromEntries(
              pick.filter((k) => claims[k] !== undefined).map((k) => [k.split('/').pop(), claims[k]]),
            ),
          },
          null,
          2,
        ),
        true,
      ),
      '```',
      '',
    );
  }
  if (result.passed.length)
    out.push('## Checks that passed', '', ...result.passed.map((c) => `- ✅ ${c.title}: ${md(c.finding)}`), '');
  if (result.accepted.length)
    out.push(
      '## Warnings the config accepts',
      '',
      ...result.accepted.map((c) => `- ⚠️ ${c.title}: ${md(c.finding)}`),
      '',
    );
  if (result.unchecked.length) out.push('## Not checked', '', ...result.unchecked.map((u) => `- ${md(u.what)}`), '');
  return redact(out.join('\n'));
}

/** doctor's JSON document, redacted like every doctor report. */
function doctorJson(result: DoctorResult): unknown {
  const doc = {
    ok: result.ok,
    verdict: result.verdict,
    inputs: result.inputs,
    moodle: result.moodle ?? null,
    timeline: result.timeline,
    problems: result.problems.map((p) => ({
      cause: p.cause.id,
      title: p.cause.title,
      doc: portableTroubleshootingRef(p.cause.id),
      severity: p.severity,
      why: p.cause.explanation,
      confirm: CAUSE_NOTES[p.cause.id]!.confirm,
      fix: fixesOf(p)[0],
      // Every field to change, each with its value (one for most causes).
      fixes: fixesOf(p),
      seen: p.findings.map((f) => ({ source: f.source, seen: f.finding })),
    })),
    passed: result.passed,
    accepted: result.accepted,
    unchecked: result.unchecked.map((u) => u.what),
    decide: result.decide ?? null,
    ticket: result.ticket ?? null,
  };
  return JSON.parse(redact(JSON.stringify(doc))) as unknown;
}

/**
 * doctor as check results, for JUnit: each cause a test case — a failure carries what was seen, the cause and the
 * fix — then what passed, the warnings the config accepts, and what could not be checked (a failure when it blocks).
 */
function doctorResults(result: DoctorResult): CheckResult[] {
  return [
    ...result.problems.map(
      (p): CheckResult => ({
        id: `cause.${p.cause.id}`,
        title: p.cause.title,
        status: p.severity,
        finding: redact(`${p.findings.map((f) => f.finding).join('; ')} — why: ${p.cause.explanation}`),
        fix: fixesOf(p)[0]!,
      }),
    ),
    ...result.passed,
    ...result.accepted.map((a): CheckResult => ({ ...a, status: 'warn' })),
    ...result.unchecked.map(
      (u, index): CheckResult => ({
        id: `unchecked.${index + 1}`,
        title: 'Not checked',
        status: u.blocks ? 'fail' : 'skip',
        finding: redact(u.what),
      }),
    ),
  ];
}

/** A doctor run for the reporters: every format it can take (the HTML draws the launch from the capture, if any). */
export function doctorReport(result: DoctorResult, har: HarEntry[] | undefined): Report {
  return {
    name: 'doctor',
    results: () => doctorResults(result),
    json: () => doctorJson(result),
    human: (s) => renderDoctor(result, s),
    quiet: (s) => renderDoctor(result, s, true),
    markdown: (meta) => doctorMarkdown(result, meta),
    html: async (meta) => {
      const [{ launchHtml }, { pictureFromDoctor }] = await Promise.all([
        import('./html.js'),
        import('./picture-from.js'),
      ]);
      return launchHtml(pictureFromDoctor(result, har), meta);
    },
  };
}
