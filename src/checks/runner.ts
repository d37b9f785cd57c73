import type { Check, CheckResult } from '../core/result.js';

/**
 * Run checks concurrently, each bounded by its own timeout; a check that throws or hangs becomes that check's
 * failure, never the run's.
 */
export async function runChecks<C>(
  checks: readonly Check<C>[],
  context: C,
  options: { timeoutMs: number },
): Promise<CheckResult[]> {
  return Promise.all(
    checks.map(async (check) => {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<CheckResult>((resolve) => {
        timer = setTimeout(
          () =>
            resolve({
              id: check.id,
              title: check.title,
              status: 'fail',
              finding: `did not finish within ${options.timeoutMs / 1000} s`,
            }),
          options.timeoutMs,
        );
      });
      try {
        return await Promise.race([Promise.resolve().then(() => check.run(context)), deadline]);
      } catch (error) {
        return {
          id: check.id,
          title: check.title,
          status: 'fail' as const,
          finding: `the check itself failed: ${error instanceof Error ? error.message : String(error)}`,
        };
      } finally {
        clearTimeout(timer);
      }
    }),
  );
}
