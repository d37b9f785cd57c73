import {
  ENDPOINT_KEYS,
  MOODLE_ENDPOINT_PATHS,
  TOOL_DETAIL_KEYS,
  endpointsFor,
  type ToolDetails,
} from './tool-details.js';

/** One value mended: what was copied, what it becomes, and the damage seen. */
export interface Repair {
  key: keyof ToolDetails;
  was: string;
  now: string;
  damage: string[];
}

/**
 * The copy damage a paste commonly does and nothing else: spaces or tabs around a value, a trailing slash on the
 * Platform ID, and the doubled slash that slash leaves in URLs built from it. Anything else is left for the
 * administrator to correct: only Moodle knows the right value.
 */
export function repairToolDetails(values: Partial<ToolDetails>): { values: Partial<ToolDetails>; repairs: Repair[] } {
  const repaired: Partial<ToolDetails> = { ...values };
  const repairs: Repair[] = [];
  const platformId = values.platformId?.trim().replace(/\/+$/, '');
  for (const key of TOOL_DETAIL_KEYS) {
    const was = values[key];
    if (was === undefined) continue;
    const damage: string[] = [];
    let now = was.trim();
    if (now !== was) damage.push('spaces around it');
    if (key === 'platformId' && /\/+$/.test(now)) {
      now = now.replace(/\/+$/, '');
      damage.push('a trailing slash');
    }
    if ((ENDPOINT_KEYS as string[]).includes(key) && platformId) {
      const derived = endpointsFor(platformId)[key as (typeof ENDPOINT_KEYS)[number]];
      const doubled = derived.replace(platformId, `${platformId}/`);
      if (now === doubled) {
        now = derived;
        damage.push("a doubled slash from the Platform ID's trailing one");
      }
    }
    if (damage.length) {
      repaired[key] = now;
      repairs.push({ key, was, now, damage });
    }
  }
  return { values: repaired, repairs };
}

/**
 * How many mistakes the failing values are: a URL that is exactly what the Platform ID it came with derives is the
 * Platform ID's mistake, not one of its own.
 */
export function countMistakes(values: Partial<ToolDetails>, failingKeys: ReadonlySet<keyof ToolDetails>): number {
  const platformId = values.platformId?.trim() ?? '';
  const derivedFromPlatformId = (key: keyof ToolDetails): boolean => {
    if (!failingKeys.has('platformId') || !(ENDPOINT_KEYS as string[]).includes(key)) return false;
    const value = values[key]?.trim();
    const endpoint = MOODLE_ENDPOINT_PATHS[key as keyof typeof MOODLE_ENDPOINT_PATHS];
    return value !== undefined && endpoint !== undefined && value === `${platformId}${endpoint}`;
  };
  return [...failingKeys].filter((key) => !derivedFromPlatformId(key)).length;
}
