import type { ChalkInstance } from 'chalk';
import type { DoctorResult } from '../../doctor/doctor.js';
import { troubleshootingRef } from '../../doctor/catalogue.js';
import { redact } from '../../doctor/redact.js';
import { fixLine } from '../../core/fix-text.js';

/** A finding may know the exact value for its cause's fix. */
function valueFor(problem: DoctorResult['problems'][number]): string | undefined {
  return problem.findings.find((f) => f.fix?.value)?.fix?.value;
}

function verdictMark(result: DoctorResult, s: ChalkInstance): string {
  if (result.problems.some((p) => p.severity === 'fail') || !result.ok) return s.red('✖');
  return result.problems.length || result.accepted.length ? s.yellow('!') : s.green('✔');
}

export function renderDoctor(result: DoctorResult, s: ChalkInstance): string[] {
  const lines = [s.bold('inspera-lti doctor') + s.dim(` — looked at: ${result.inputs.join(', ') || 'nothing'}`)];
  if (result.timeline.length) {
    lines.push('', s.bold('What happened'));
    for (const line of result.timeline) lines.push(`  ${redact(line)}`);
  }
  if (result.problems.length) {
    lines.push('', s.bold('Diagnosis, most likely first'));
    result.problems.forEach((problem, index) => {
      const mark = problem.severity === 'fail' ? s.red('✖') : s.yellow('!');
      lines.push(`${String(index + 1).padStart(3)}. ${mark} ${s.bold(problem.cause.title)} ${s.dim(`[${troubleshootingRef(problem.cause.id)}]`)}`);
      for (const finding of problem.findings) lines.push(`       seen (${finding.source}): ${redact(finding.finding)}`);
      lines.push(`       why: ${problem.cause.explanation}`);
      lines.push(`       ${s.green('fix')} in ${fixLine(problem.cause.fix, (v) => s.cyan(v), valueFor(problem))}`);
    });
  }
  if (result.passed.length) {
    lines.push('', s.bold('Checks that passed'));
    for (const check of result.passed) lines.push(`  ${s.green('✔')} ${check.title}: ${s.dim(redact(check.finding))}`);
  }
  if (result.accepted.length) {
    lines.push('', s.bold('Warnings the config accepts'));
    for (const check of result.accepted) lines.push(`  ${s.yellow('!')} ${check.title}: ${s.dim(redact(check.finding))}`);
  }
  if (result.unchecked.length) {
    lines.push('', s.bold('Not checked'));
    for (const u of result.unchecked) lines.push(`  ${s.dim('–')} ${redact(u.what)}`);
  }
  lines.push('', `${verdictMark(result, s)} ${s.bold('Verdict:')} ${result.verdict}`);
  return lines;
}

/** The ticket report: Markdown, redacted (no tokens, cookies or keys; ids kept — support needs them). */
export function doctorMarkdown(result: DoctorResult, meta: { version: string; when: string }): string {
  const out = [`# LTI 1.3 diagnosis (Moodle ↔ Inspera)`, '', `Made by inspera-lti ${meta.version} on ${meta.when}. Inputs: ${result.inputs.join(', ') || 'none'}.`, '', `**Verdict:** ${result.verdict}`, ''];
  if (result.timeline.length) out.push('## What happened', '', ...result.timeline.map((l) => `- ${l.trim()}`), '');
  if (result.problems.length) {
    out.push('## Diagnosis (most likely first)', '');
    result.problems.forEach((problem, index) => {
      out.push(`### ${index + 1}. ${problem.severity === 'fail' ? '❌' : '⚠️'} ${problem.cause.title} (${troubleshootingRef(problem.cause.id)})`, '');
      for (const finding of problem.findings) out.push(`- Seen (${finding.source}): ${finding.finding}`);
      out.push(`- Why: ${problem.cause.explanation}`, `- Fix in ${fixLine(problem.cause.fix, (v) => `\`${v}\``, valueFor(problem))}`, '');
    });
  }
  if (result.token) {
    const claims = result.token.payload;
    const pick = ['iss', 'aud', 'sub', 'iat', 'exp', 'https://purl.imsglobal.org/spec/lti/claim/deployment_id', 'https://purl.imsglobal.org/spec/lti/claim/message_type', 'https://purl.imsglobal.org/spec/lti/claim/roles'];
    out.push('## Token claims (ids only)', '', '```json', JSON.stringify({ header: { alg: result.token.header.alg, kid: result.token.header.kid }, ...Object.fromEntries(pick.filter((k) => claims[k] !== undefined).map((k) => [k.split('/').pop(), claims[k]])) }, null, 2), '```', '');
  }
  if (result.passed.length) out.push('## Checks that passed', '', ...result.passed.map((c) => `- ✅ ${c.title}: ${c.finding}`), '');
  if (result.accepted.length) out.push('## Warnings the config accepts', '', ...result.accepted.map((c) => `- ⚠️ ${c.title}: ${c.finding}`), '');
  if (result.unchecked.length) out.push('## Not checked', '', ...result.unchecked.map((u) => `- ${u.what}`), '');
  return redact(out.join('\n'));
}
