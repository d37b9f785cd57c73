import type { ChalkInstance } from 'chalk';
import { SCENARIOS, type Scenario } from '../sim/scenarios.js';

/** --list-scenarios as JSON: each scenario's name, kind, the side it changes, title, symptom and releases. */
export function scenarioListJson(): unknown {
  return SCENARIOS.map((s) => ({
    name: s.name,
    kind: s.kind,
    changes: s.changes,
    title: s.title,
    symptom: s.symptom,
    faq: s.faq ?? null,
    moodle: s.moodle?.releases ?? 'every release',
  }));
}

/** --list-scenarios for a person: a row each, then how to run one (the last line goes to the log). */
export function scenarioListLines(style: ChalkInstance): { rows: string[]; note: string } {
  const width = Math.max(...SCENARIOS.map((s) => s.name.length)) + 2;
  const changed = (s: Scenario) => (s.changes.length ? s.changes.join(' + ') : 'browser');
  const sideWidth = Math.max(...SCENARIOS.map((s) => changed(s).length)) + 2;
  return {
    rows: SCENARIOS.map(
      (s) =>
        `${s.name.padEnd(width)}${style.dim(`[${s.kind}]`.padEnd(9))}${changed(s).padEnd(sideWidth)}${s.title}` +
        (s.moodle ? style.dim(` — only on Moodle ${s.moodle.releases}`) : ''),
    ),
    note:
      `${SCENARIOS.length} scenarios; run one with --scenario <name> (grade scenarios also with \`simulate grade\`). ` +
      'The middle column is the side a scenario changes: it runs only where that side is embedded, not against ' +
      'your own Moodle (--platform-url) or tool (--tool-*-url).',
  };
}
