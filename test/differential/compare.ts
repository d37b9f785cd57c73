import type { Exchange } from './exchanges.js';

export interface Difference {
  exchange: string;
  /** Which part of the answer differs: status, reason, contentType, location, link, cookies or body. */
  part: string;
  moodle: unknown;
  embedded: unknown;
}

const PARTS = ['status', 'reason', 'contentType', 'location', 'link', 'cookies', 'body'] as const;

/** Exchange by exchange and part by part; JSON compared with its key order (stringified as read). */
export function compareExchanges(moodle: Exchange[], embedded: Exchange[]): Difference[] {
  const differences: Difference[] = [];
  const byName = new Map(embedded.map((e) => [e.name, e]));
  for (const real of moodle) {
    const ours = byName.get(real.name);
    if (!ours) {
      differences.push({ exchange: real.name, part: 'missing', moodle: real.request, embedded: null });
      continue;
    }
    for (const part of PARTS) {
      const a = JSON.stringify(real.answer[part]);
      const b = JSON.stringify(ours.answer[part]);
      if (a !== b)
        differences.push({ exchange: real.name, part, moodle: real.answer[part], embedded: ours.answer[part] });
    }
  }
  return differences;
}

/**
 * The differences that remain on purpose, each with why it cannot or should not be the same
 * (docs/moodle-versions.md lists them). The differential fails on any other difference, and on an entry here that
 * no longer differs.
 */
export const KNOWN_DIFFERENCES: Record<string, string> = {};

export function unexplained(differences: Difference[]): { unexpected: Difference[]; stale: string[] } {
  const key = (d: Difference) => `${d.exchange} / ${d.part}`;
  const seen = new Set(differences.map(key));
  return {
    unexpected: differences.filter((d) => !(key(d) in KNOWN_DIFFERENCES)),
    stale: Object.keys(KNOWN_DIFFERENCES).filter((k) => !seen.has(k)),
  };
}
