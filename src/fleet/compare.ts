import type { ConnectionResult } from './run.js';

/** What changed for one connection since the last run: the morning question. */
export interface FleetChange {
  name: string;
  kind: 'broke' | 'recovered' | 'new' | 'gone' | 'changed' | 'slower';
  detail: string;
}

/** A previous run's connection as its JSON kept it (only what is compared). */
export interface PreviousConnection {
  name: string;
  status: string;
  seconds?: number;
  observed?: Record<string, string>;
}

const LABELS: Record<string, string> = {
  moodleVersion: "Moodle's version",
  'platform.keyset.kids': "Moodle's keyset kid",
  'tool.keyset.kids': "the tenant's keyset kid",
};

/** A run slower than the last by half a second and half again: a site getting slow, not a network's jitter. */
function slower(now: number, before: number | undefined): boolean {
  return before !== undefined && now - before > 0.5 && now > before * 1.5;
}

export function compareRuns(
  current: readonly ConnectionResult[],
  previous: readonly PreviousConnection[],
): FleetChange[] {
  const before = new Map(previous.map((p) => [p.name, p]));
  const changes: FleetChange[] = [];
  for (const now of current) {
    const was = before.get(now.name);
    if (!was) {
      changes.push({ name: now.name, kind: 'new', detail: `not in the previous run (${now.status})` });
      continue;
    }
    before.delete(now.name);
    if (was.status !== 'fail' && now.status === 'fail')
      changes.push({ name: now.name, kind: 'broke', detail: now.cause?.title ?? now.verdict });
    if (was.status === 'fail' && now.status !== 'fail')
      changes.push({ name: now.name, kind: 'recovered', detail: `now ${now.status}` });
    for (const [key, value] of Object.entries(now.observed)) {
      const old = was.observed?.[key];
      if (old !== undefined && old !== value) {
        changes.push({
          name: now.name,
          kind: 'changed',
          detail: `${LABELS[key] ?? key}: ${old || '(none)'} → ${value || '(none)'}`,
        });
      }
    }
    if (slower(now.seconds, was.seconds))
      changes.push({ name: now.name, kind: 'slower', detail: `${was.seconds} s → ${now.seconds} s` });
  }
  for (const gone of before.values())
    changes.push({ name: gone.name, kind: 'gone', detail: 'in the previous run, not in this one' });
  return changes;
}
