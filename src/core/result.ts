/**
 * Checks are data: every diagnostic command (record's lint, validate, doctor, simulate) produces CheckResults
 * and hands them to one reporter.
 */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

/** Which system a fix belongs to: where the person has to go to change something. */
export type FixSystem = 'Moodle' | 'Inspera' | 'inspera-lti' | 'network';

export interface Fix {
  system: FixSystem;
  /** The screen or place, e.g. "Site admin > Plugins > External tool > Manage tools > Inspera". */
  where?: string;
  /** The field's label exactly as that system shows it. */
  field?: string;
  /** The value to put there, when we know it. */
  value?: string;
  /** The action in a sentence. */
  action: string;
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
  /** A warning the config chose to accept (e.g. plain http with allowInsecure): shown, but not a problem to diagnose. */
  acknowledged?: string;
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
