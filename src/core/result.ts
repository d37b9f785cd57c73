import type { CauseId } from './causes.js';
import type { Fix } from './fix.js';

/**
 * Checks are data: every diagnostic command (record's lint, validate, doctor, simulate) produces CheckResults
 * and hands them to one reporter.
 */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

export type { Fix, FixSystem } from './fix.js';

/** The cause a result's evidence shows, named where that evidence is seen; certainty adds weight to a proof. */
export interface CauseRef {
  id: CauseId;
  /** Extra strength for evidence that proves its cause (a mismatch seen on the wire) over one that suggests it. */
  certainty?: number;
}

export type Problem = 'unreachable' | 'tls' | 'site-error' | 'not-moodle' | 'keyset' | 'mismatch';

export interface CheckResult {
  id: string;
  title: string;
  status: CheckStatus;
  /** One line: what was found. */
  finding: string;
  /** What was sent and received, or the value that was looked at. Never secrets. */
  evidence?: string;
  fix?: Fix;
  /** The entry of the failure catalogue (facts F) or Inspera FAQ this belongs to. */
  faq?: string;
  /**
   * What kind of trouble the evidence shows, for a failed live check: the network on the way, TLS, the site answering
   * errors, something that is not Moodle (or not the tool) at that address, an unusable keyset, or a value that differs
   * from the recorded one. Doctor names causes from this, not from which check it was.
   */
  problem?: Problem;
  /**
   * A warning the config chose to accept (e.g. plain http with allowInsecure): shown, but not a problem to diagnose.
   */
  acknowledged?: string;
  /** For a failure or warning: the cause it shows (doctor groups and ranks findings by it). */
  cause?: CauseRef;
  /** Facts the check read off the answer, to compare between runs (a keyset's kids, Moodle's version). */
  observed?: Record<string, string>;
}

export interface Check<Context> {
  id: string;
  title: string;
  faq?: string;
  run(context: Context): CheckResult | Promise<CheckResult>;
}

export function summarise(results: readonly CheckResult[]): Record<CheckStatus, number> {
  const counts: Record<CheckStatus, number> = { pass: 0, warn: 0, fail: 0, skip: 0 };
  for (const result of results) counts[result.status]++;
  return counts;
}
