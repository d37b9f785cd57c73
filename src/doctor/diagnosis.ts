import { cause, type Cause, type CauseId } from '../core/causes.js';
import type { CauseRef, CheckResult } from '../core/result.js';

/** Where doctor saw something: its inputs (an assertion is a client assertion given as --token). */
export type Source = 'config' | 'live' | 'token' | 'assertion' | 'har' | 'error' | 'moodle';

/**
 * One observation that points at a cause: a check result with its cause, and the input it came from. The finding
 * text is already redacted: no tokens, cookies or keys.
 */
export interface Finding extends CheckResult {
  status: 'fail' | 'warn';
  cause: CauseRef;
  source: Source;
}

/** A check result that names a cause, as a finding of `source` (a result that names none is no finding). */
export function asFinding(result: CheckResult, source: Source, prefix = ''): Finding | undefined {
  if ((result.status !== 'fail' && result.status !== 'warn') || !result.cause) return undefined;
  return { ...result, status: result.status, cause: result.cause, source, finding: `${prefix}${result.finding}` };
}

/** A finding seen directly (not by a check): `value` is the concrete value for the cause's fix, when known. */
export function finding(
  source: Source,
  id: CauseId,
  status: 'fail' | 'warn',
  seen: string,
  options: { certainty?: number; value?: string } = {},
): Finding {
  const named = cause(id);
  return {
    id: `${source}.${id}`,
    title: named.title,
    status,
    finding: seen,
    source,
    cause: { id, ...(options.certainty !== undefined ? { certainty: options.certainty } : {}) },
    ...(options.value !== undefined ? { fix: { ...named.fix, value: options.value } } : {}),
  };
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

/** The verdict that names a cause: its title and where it is fixed. */
export function mostLikely({ title, fix }: Pick<Cause, 'title' | 'fix'>): string {
  return `Most likely: ${title} — fix in ${fix.system}${fix.field ? `, "${fix.field}"` : ''}.`;
}

/** Group findings by cause and order them: failures first, then by weight, certainty and corroboration. */
export function diagnose(
  findings: readonly Finding[],
  passed: readonly CheckResult[],
  inputs: string[],
  unchecked: readonly Unchecked[] = [],
  accepted: readonly CheckResult[] = [],
): DoctorReport {
  const byCause = new Map<CauseId, Finding[]>();
  for (const f of findings) byCause.set(f.cause.id, [...(byCause.get(f.cause.id) ?? []), f]);
  const problems: Diagnosis[] = [...byCause.entries()].map(([id, group]) => {
    const severity = group.some((f) => f.status === 'fail') ? 'fail' : 'warn';
    const sources = new Set(group.map((f) => f.source)).size;
    const certainty = Math.max(...group.map((f) => f.cause.certainty ?? 0));
    return {
      cause: cause(id),
      severity,
      findings: group,
      score: (severity === 'fail' ? 1000 : 0) + cause(id).weight + certainty + 5 * (sources - 1),
    };
  });
  problems.sort((a, b) => b.score - a.score);
  const failures = problems.filter((p) => p.severity === 'fail');
  const warnings = problems.length - failures.length;
  const notChecked =
    (accepted.length
      ? ` ${accepted.length} warning${accepted.length > 1 ? 's' : ''} ` +
        `accepted by the config (${accepted.map((a) => a.acknowledged ?? a.title).join('; ')}).`
      : '') + (unchecked.length ? ` Not checked: ${unchecked.map((u) => u.what).join('; ')}.` : '');
  const blocking = unchecked.filter((u) => u.blocks);
  let verdict: string;
  if (failures.length) {
    verdict = mostLikely(failures[0]!.cause);
  } else if (passed.length === 0 || blocking.length) {
    // "Healthy" needs something checked that passed, and the evidence that matters to have been usable.
    verdict =
      passed.length === 0
        ? `Nothing could be diagnosed: no check could be made.${notChecked}`
        : `Not diagnosed: ${blocking.map((u) => u.what).join('; ')}.`;
  } else {
    verdict = warnings
      ? `No blocking problem; ${warnings} thing${warnings > 1 ? 's' : ''} will cost Inspera features.${notChecked}`
      : `Everything checked is healthy (${passed.length} check${passed.length > 1 ? 's' : ''}).${notChecked}`;
  }
  return {
    ok: failures.length === 0 && passed.length > 0 && blocking.length === 0,
    problems,
    passed: [...passed],
    accepted: [...accepted],
    unchecked: [...unchecked],
    inputs,
    verdict,
  };
}
