import { troubleshootingMessagesRef } from '../catalogue.js';
import { diagnoseError } from '../from-error.js';
import type { DoctorSource } from '../inputs.js';

/** An error text someone saw: the messages of Moodle and the LTI libraries, matched to their causes. */
export const errorSource: DoctorSource = {
  given: (inputs) => inputs.error !== undefined,
  async read({ error }) {
    const findings = diagnoseError(error!);
    if (findings.length) return { described: 'error message', findings, passed: [] };
    return {
      described: 'error message',
      findings,
      passed: [],
      timeline: [`the error message matched no known Moodle or LTI library message: "${error!.slice(0, 120)}"`],
      // An error nobody could read is the ticket's own evidence unexplained: never "healthy", whatever else passed.
      unchecked: [
        {
          what:
            `the error message: it matched no known Moodle ` +
            `or LTI library message (${troubleshootingMessagesRef()} ` +
            `lists the ones doctor knows)`,
          blocks: true,
        },
      ],
    };
  },
};
