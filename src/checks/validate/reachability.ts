import type { CheckResult, Fix } from '../../core/result.js';
import { VALIDATE_CHECKS, type Side } from './index.js';

/** What to do when an address gave no answer at all: nothing in Moodle or Inspera, the way from here first. */
export const NETWORK_FIX: Fix = {
  system: 'network',
  action:
    'from this machine, check DNS (the host name resolves), the proxy ' +
    '(HTTPS_PROXY / NO_PROXY) and the firewall, and that the site is ' +
    'up; change nothing in Moodle or Inspera until it answers',
};

export interface Reachability {
  /** The live checks, a failure that never got an answer carrying the network's fix instead of a field's. */
  results: CheckResult[];
  /** Every side that was asked over the network answered nothing: no setting can be judged from here. */
  reachedNothing: boolean;
}

const SIDE = new Map(VALIDATE_CHECKS.map(({ side, check }) => [check.id, side]));
/** Checks that ask no site: the recorded values, the URLs' form, and where names resolve. */
const OFFLINE = new Set(['config.platform', 'tool.urls', 'tool.local-network']);

/**
 * A check that got no answer says nothing of the field it reads: its fix is the network's. When neither side answered
 * anything, that is the one finding (a machine without a way out, a proxy that is not set), not one per field.
 */
export function judgeReachability(results: readonly CheckResult[]): Reachability {
  const networked = results.filter((r) => r.status !== 'skip' && !OFFLINE.has(r.id));
  const sides = new Set<Side>(networked.map((r) => SIDE.get(r.id)).filter((s): s is Side => s !== undefined));
  const silent = (side: Side) =>
    networked.filter((r) => SIDE.get(r.id) === side).every((r) => r.status === 'fail' && r.problem === 'unreachable');
  const reachedNothing = sides.size > 0 && [...sides].every(silent);
  // When nothing answered, the one fix is said once for the run, not under each check.
  const refix = (r: CheckResult): CheckResult => {
    const { fix: _fieldFix, ...rest } = r;
    return reachedNothing ? rest : { ...rest, fix: NETWORK_FIX };
  };
  return {
    results: results.map((r) => (r.status === 'fail' && r.problem === 'unreachable' ? refix(r) : r)),
    reachedNothing,
  };
}
