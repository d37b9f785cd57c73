import { diagnoseHar } from '../from-har.js';
import type { DoctorSource } from '../inputs.js';
import { evidenceFromHar } from '../moodle-version.js';

/** A browser capture of the launch: what crossed the wire, hop by hop. */
export const harSource: DoctorSource = {
  given: (inputs) => inputs.har !== undefined,
  async read({ har, config, keyset }) {
    const found = await diagnoseHar(har!.entries, config, keyset);
    const moodle = evidenceFromHar(har!.entries);
    return {
      described: `capture ${har!.source} (${har!.entries.length} requests)`,
      ...found,
      ...(moodle ? { moodle } : {}),
    };
  },
};
