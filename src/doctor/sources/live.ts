import type { CheckResult } from '../../core/result.js';
import { asFinding, finding, type Finding } from '../diagnosis.js';
import type { DoctorSource } from '../inputs.js';
import { evidenceFromLive } from '../moodle-version.js';

/** The live checks (validate's, already run): each failure carries the cause its check saw in the answer. */
export const liveSource: DoctorSource = {
  given: (inputs) => inputs.live !== undefined,
  async read({ live = [], reachedNothing }) {
    const findings: Finding[] = [];
    const passed: CheckResult[] = [];
    const accepted: CheckResult[] = [];
    for (const result of live) {
      const id = `live.${result.id}`;
      if (result.status === 'pass') passed.push({ ...result, id });
      else if (result.acknowledged) accepted.push({ ...result, id });
      else {
        // A check that names no cause is about a value the config recorded (the live checks compare with it).
        const found = asFinding(
          { ...result, id, cause: { certainty: 25, ...(result.cause ?? { id: 'recorded-value' }) } },
          'live',
          `live: ${result.title}: `,
        );
        if (found) findings.push(found);
      }
    }
    if (reachedNothing) {
      findings.push(
        finding(
          'live',
          'unreachable',
          'fail',
          'neither Moodle nor Inspera answered any request from this ' +
            'machine: nothing about the LTI settings can be judged from here',
          { certainty: 30 },
        ),
      );
    }
    const moodle = evidenceFromLive(live);
    return { described: `live checks (${live.length})`, findings, passed, accepted, ...(moodle ? { moodle } : {}) };
  },
};
