import { relative } from 'node:path';
import type { CheckResult } from '../../core/result.js';
import type { RecordResult } from '../../config/record-details.js';
import type { Repair } from '../../moodle/repair-tool-details.js';
import { ENDPOINT_KEYS, TOOL_DETAIL_KEYS, TOOL_DETAIL_LABELS, type ToolDetails } from '../../moodle/tool-details.js';
import type { DetailSource } from '../../moodle/parse-tool-details.js';
import { printable } from '../../util/printable.js';
import type { Output } from '../output.js';
import { renderFix } from './results.js';

/** record's JSON document: the values, what was found, what was repaired and where it was saved. */
export function recordDocument(result: RecordResult): Record<string, unknown> {
  return result.ok
    ? {
        ok: true,
        saved: result.saved
          ? { path: result.saved.path, outcome: result.saved.outcome, backup: result.saved.backup ?? null }
          : null,
        platform: result.values,
        findings: result.findings,
        repairs: result.repairs,
      }
    : { ok: false, saved: false, platform: result.values, findings: result.findings, repairs: result.repairs };
}

/** The outcome of a record: said even with --quiet. */
export function say(out: Output, line: string): void {
  out.stderr.write(`${line}\n`);
}

/** The values refused: why nothing was saved, and how to go on. */
export function refusedLine(result: RecordResult): string {
  const mistakes = result.mistakes ?? 1;
  return (
    `inspera-lti: ${mistakes} value${mistakes > 1 ? 's are' : ' is'} wrong — nothing was saved; ` +
    (result.onlyDamage
      ? 'run record again with --fix to apply the corrections shown'
      : `fix ${mistakes > 1 ? 'them' : 'it'} and run record again`)
  );
}

function showRepairs(out: Output, repairs: Repair[]): void {
  if (out.json) return;
  const s = out.style;
  out.print();
  out.print('Only copy damage — the corrected values:');
  for (const repair of repairs)
    out.print(
      `  ${TOOL_DETAIL_LABELS[repair.key]}: ${s.cyan(printable(repair.now, 300))}` +
        ` (was ${JSON.stringify(printable(repair.was, 300))}: ${repair.damage.join(', ')})`,
    );
}

/** The six values, each with what was found in it, then where they were saved. */
function reportValues(out: Output, values: ToolDetails, findings: CheckResult[], saved: RecordResult['saved']): void {
  if (out.json) return;
  const s = out.style;
  const width = Math.max(...TOOL_DETAIL_KEYS.map((k) => TOOL_DETAIL_LABELS[k].length)) + 2;
  for (const key of TOOL_DETAIL_KEYS) {
    const own = findings.filter((f) => f.id.startsWith(`platform.${key}.`));
    const failed = own.some((f) => f.status === 'fail');
    if (out.detail === 'quiet' && !failed) continue;
    const mark = failed ? s.red('✖') : own.length ? s.yellow('!') : s.green('✔');
    out.print(`${mark} ${(TOOL_DETAIL_LABELS[key] + ':').padEnd(width)}${printable(values[key] ?? '', 300)}`);
    for (const finding of own) {
      if (out.detail === 'quiet' && finding.status !== 'fail') continue;
      const said = printable(finding.finding, 500);
      out.print(`    ${finding.status === 'fail' ? s.red(said) : s.yellow(said)}`);
      for (const line of renderFix(finding, s)) out.print(`    ${line}`);
    }
  }
  if (saved) {
    const shown = relative(process.cwd(), saved.path) || saved.path;
    say(
      out,
      saved.outcome === 'unchanged'
        ? `config ${shown} already holds these values`
        : `saved to ${shown}` +
            (saved.backup ? ` (previous version kept as ${relative(process.cwd(), saved.backup)})` : ''),
    );
    out.log('next: send these six values to Inspera support — `inspera-lti export` writes the hand-off sheet');
  }
}

/**
 * The hook that asks whether to apply corrections of copy damage: the values and the corrections shown first; yes
 * with --fix, or when a person at a terminal says so.
 */
export function askToRepair(out: Output, fix: boolean | undefined) {
  return async (repairs: Repair[], values: ToolDetails, findings: CheckResult[]): Promise<boolean> => {
    reportValues(out, values, findings, undefined);
    showRepairs(out, repairs);
    if (fix === true) return true;
    if (!out.interactive) return false;
    const { confirm } = await import('@inquirer/prompts');
    return confirm({ message: 'Apply these corrections?', default: true });
  };
}

/** A record's outcome for a person (or its JSON document); the exit code. */
export function presentRecord(out: Output, result: RecordResult): number {
  if (!result.ok) {
    // The repairs hook, when asked, showed the values and the corrections already.
    if (!result.asked) {
      reportValues(out, result.values, result.findings, undefined);
      if (result.onlyDamage) showRepairs(out, result.repairs);
    }
    if (out.json) out.emitJson(recordDocument(result));
    say(out, refusedLine(result));
    return 2;
  }
  if (out.json) {
    out.emitJson(recordDocument(result));
    return 0;
  }
  if (result.repairs.length) out.print('Saved with the corrections:');
  reportValues(out, result.values, result.findings, result.saved);
  return 0;
}

const EVIDENCE: Record<DetailSource['by'], string> = {
  label: "by Moodle's label",
  shape: "by the value's shape",
  order: 'by its place in the dialog (Client ID before Deployment ID)',
};

/** The flag that gives each value. */
export const FLAG_FOR: Record<keyof ToolDetails, string> = {
  platformId: '--platform-id',
  clientId: '--client-id',
  deploymentId: '--deployment-id',
  publicKeysetUrl: '--keyset-url',
  accessTokenUrl: '--token-url',
  authRequestUrl: '--auth-url',
};

/** record --verbose: where each value came from (a flag, a line of the text and how it was read, derived, kept). */
export function originLines(from: {
  fromFlags: Partial<ToolDetails>;
  fromEnv: Partial<ToolDetails>;
  fromText: Partial<ToolDetails>;
  textSources: Partial<Record<keyof ToolDetails, DetailSource>>;
  textName: string;
  given: Partial<ToolDetails>;
  values: Partial<ToolDetails>;
}): string[] {
  const origin = (key: keyof ToolDetails): string => {
    if (from.fromFlags[key] !== undefined) return `from ${FLAG_FOR[key]}`;
    const read = from.textSources[key];
    if (from.fromText[key] !== undefined)
      return read ? `from ${from.textName} line ${read.line}, ${EVIDENCE[read.by]}` : `from ${from.textName}`;
    if (from.fromEnv[key] !== undefined) return 'from the environment';
    if (from.given.platformId !== undefined && (ENDPOINT_KEYS as readonly string[]).includes(key))
      return 'derived from the Platform ID, as Moodle derives it';
    return from.values[key] !== undefined ? 'kept from the config' : 'not given';
  };
  return TOOL_DETAIL_KEYS.map((key) => `${TOOL_DETAIL_LABELS[key]}: ${origin(key)}`);
}
