import type { Reachability } from '../checks/validate/reachability.js';
import { NETWORK_FIX } from '../checks/validate/reachability.js';
import type { Config } from '../config/types.js';
import { summarise } from '../core/result.js';
import { renderChecks } from './human-checks.js';
import type { Report } from './reporters.js';

/** A validate run for the reporters: the checks, what they counted, and whether this machine reached either side. */
export function validateReport(
  run: Reachability & { seconds: number },
  context: { config: Pick<Config, 'platform' | 'tool'>; insecure: boolean },
): Report & { failed: boolean } {
  const { results, seconds, reachedNothing } = run;
  const { config, insecure } = context;
  const counts = summarise(results);
  const counted = results.length - counts.skip;
  return {
    name: 'validate',
    seconds,
    failed: counts.fail > 0,
    results: () => results,
    json: () => ({
      ok: counts.fail === 0,
      insecure,
      ...(reachedNothing ? { reachedNothing: true } : {}),
      seconds,
      counts,
      results,
    }),
    human: (s) => [
      s.bold('inspera-lti validate') +
        s.dim(
          ` — Moodle ${config.platform.platformId ?? '(not recorded)'} ` +
            `· Inspera ${config.tool?.domain ?? '(no tenant)'}`,
        ),
      ...(insecure ? [s.yellow('  ! --insecure: TLS certificates are NOT checked — only for test servers')] : []),
      ...renderChecks(results, s),
      '',
      ...(reachedNothing
        ? [
            `${s.red('✖')} ${s.bold('This machine reaches neither side')}: ` +
              'no address answered at all, so nothing about the LTI settings could be judged. Fix in network: ' +
              `${NETWORK_FIX.action}.`,
          ]
        : []),
      `${counts.fail ? s.red('✖') : s.green('✔')} ${counts.pass}/${counted} ` +
        `passed${counts.warn ? `, ${counts.warn} warning${counts.warn > 1 ? 's' : ''}` : ''}` +
        `${counts.fail ? `, ${counts.fail} failed` : ''}${counts.skip ? `, ${counts.skip} skipped` : ''} ` +
        `in ${seconds.toFixed(1)} s`,
    ],
  };
}
