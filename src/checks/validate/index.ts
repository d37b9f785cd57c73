import type { Check } from '../../core/result.js';
import { recordedValuesCheck } from './config-checks.js';
import type { ValidateContext } from './context.js';
import { authCheck, clockCheck, discoveryCheck, platformKeysetCheck, tokenCheck } from './platform-checks.js';
import { authorizationCheck } from './authorization-check.js';
import { registrationCheck } from './registration-check.js';
import { localNetworkCheck } from './local-network-check.js';
import { repostCheck, stateCookieCheck } from './login-answer-checks.js';
import { toolClockCheck, toolKeysetCheck, toolLaunchCheck, toolLoginCheck, toolUrlsCheck } from './tool-checks.js';

export type Side = 'platform' | 'tool';

/** Every validate check, in report order, with the side it belongs to. */
export const VALIDATE_CHECKS: ReadonlyArray<{ side: Side; check: Check<ValidateContext> }> = [
  { side: 'platform', check: recordedValuesCheck },
  { side: 'platform', check: discoveryCheck },
  { side: 'platform', check: platformKeysetCheck },
  { side: 'platform', check: tokenCheck },
  { side: 'platform', check: authCheck },
  { side: 'platform', check: authorizationCheck },
  { side: 'platform', check: clockCheck },
  { side: 'tool', check: toolUrlsCheck },
  { side: 'tool', check: toolKeysetCheck },
  { side: 'tool', check: toolLoginCheck },
  { side: 'tool', check: registrationCheck },
  { side: 'tool', check: repostCheck },
  { side: 'tool', check: stateCookieCheck },
  { side: 'tool', check: localNetworkCheck },
  { side: 'tool', check: toolLaunchCheck },
  { side: 'tool', check: toolClockCheck },
];

/** The checks to run: one side or both, each listed in `skip` replaced by a check that says it was left out. */
export function validateChecks(only?: Side, skip: readonly string[] = []): Check<ValidateContext>[] {
  return VALIDATE_CHECKS.filter((c) => !only || c.side === only).map(({ check }) =>
    skip.includes(check.id)
      ? {
          id: check.id,
          title: check.title,
          run: () => ({
            id: check.id,
            title: check.title,
            status: 'skip' as const,
            finding: 'left out by checks.skip in the config',
          }),
        }
      : check,
  );
}
