import type { CheckResult } from '../core/result.js';
import { cause, type Cause } from '../core/causes.js';

export type Source = 'config' | 'live' | 'token' | 'assertion' | 'har' | 'error';

/** One observation that points at a cause. Evidence is already redacted: no tokens, cookies or keys. */
export interface Finding {
  cause: string;
  source: Source;
  severity: 'fail' | 'warn';
  /** What was seen, in one line. */
  seen: string;
  /** Extra strength for a finding that proves its cause (a mismatch seen on the wire) over one that suggests it. */
  certainty?: number;
  /** A concrete value for the fix, when the finding knows it. */
  fixValue?: string;
}

export interface Diagnosis {
  cause: Cause;
  severity: 'fail' | 'warn';
  findings: Finding[];
  score: number;
}

/** Something doctor could not check, and why; `blocks` when without it there is no diagnosis to give. */
export interface Unchecked {
  what: string;
  blocks?: boolean;
}

export interface DoctorReport {
  /** Nothing checked failed, and something was checked (warnings do not fail: the same rule as validate). */
  ok: boolean;
  problems: Diagnosis[];
  passed: CheckResult[];
  /** Warnings the config accepts on purpose (allowInsecure): shown as warnings, never counted as passes. */
  accepted: CheckResult[];
  /** What could not be checked, and why. */
  unchecked: Unchecked[];
  /** What doctor looked at. */
  inputs: string[];
  verdict: string;
}

/** Group findings by cause and order them: failures first, then by weight, certainty and corroboration. */
export function diagnose(findings: readonly Finding[], passed: readonly CheckResult[], inputs: string[], unchecked: readonly Unchecked[] = [], accepted: readonly CheckResult[] = []): DoctorReport {
  const byCause = new Map<string, Finding[]>();
  for (const finding of findings) byCause.set(finding.cause, [...(byCause.get(finding.cause) ?? []), finding]);
  const problems: Diagnosis[] = [...byCause.entries()].map(([id, group]) => {
    const severity = group.some((f) => f.severity === 'fail') ? 'fail' : 'warn';
    const sources = new Set(group.map((f) => f.source)).size;
    const certainty = Math.max(...group.map((f) => f.certainty ?? 0));
    return { cause: cause(id), severity, findings: group, score: (severity === 'fail' ? 1000 : 0) + cause(id).weight + certainty + 5 * (sources - 1) };
  });
  problems.sort((a, b) => b.score - a.score);
  const failures = problems.filter((p) => p.severity === 'fail');
  const warnings = problems.length - failures.length;
  const notChecked = (accepted.length ? ` ${accepted.length} warning${accepted.length > 1 ? 's' : ''} accepted by the config (${accepted.map((a) => a.acknowledged ?? a.title).join('; ')}).` : '')
    + (unchecked.length ? ` Not checked: ${unchecked.map((u) => u.what).join('; ')}.` : '');
  const blocking = unchecked.filter((u) => u.blocks);
  let verdict: string;
  if (failures.length) {
    verdict = `Most likely: ${failures[0]!.cause.title} — fix in ${failures[0]!.cause.fix.system}${failures[0]!.cause.fix.field ? `, "${failures[0]!.cause.fix.field}"` : ''}.`;
  } else if (passed.length === 0 || blocking.length) {
    // "Healthy" needs something checked that passed, and the evidence that matters to have been usable.
    verdict = passed.length === 0 ? `Nothing could be diagnosed: no check could be made.${notChecked}` : `Not diagnosed: ${blocking.map((u) => u.what).join('; ')}.`;
  } else {
    verdict = warnings
      ? `No blocking problem; ${warnings} thing${warnings > 1 ? 's' : ''} will cost Inspera features.${notChecked}`
      : `Everything checked is healthy (${passed.length} check${passed.length > 1 ? 's' : ''}).${notChecked}`;
  }
  return { ok: failures.length === 0 && passed.length > 0 && blocking.length === 0, problems, passed: [...passed], accepted: [...accepted], unchecked: [...unchecked], inputs, verdict };
}
