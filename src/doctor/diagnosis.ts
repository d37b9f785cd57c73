import type { CheckResult } from '../checks/types.js';
import { cause, type Cause } from './causes.js';

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

export interface DoctorReport {
  ok: boolean;
  problems: Diagnosis[];
  passed: CheckResult[];
  /** What doctor looked at. */
  inputs: string[];
  verdict: string;
}

/** Group findings by cause and order them: failures first, then by weight, certainty and corroboration. */
export function diagnose(findings: readonly Finding[], passed: readonly CheckResult[], inputs: string[]): DoctorReport {
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
  const verdict = failures.length
    ? `Most likely: ${failures[0]!.cause.title} — fix in ${failures[0]!.cause.fix.system}${failures[0]!.cause.fix.field ? `, "${failures[0]!.cause.fix.field}"` : ''}.`
    : problems.length
      ? `No blocking problem; ${problems.length} thing${problems.length > 1 ? 's' : ''} will cost Inspera features.`
      : 'Everything checked is healthy.';
  return { ok: failures.length === 0 && problems.length === 0, problems, passed: [...passed], inputs, verdict };
}
