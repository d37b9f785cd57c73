import { decodeJwt } from '../../lti/decode.js';
import { diagnoseHar } from '../from-har.js';
import type { HarEntry } from '../har/read.js';
import type { DoctorSource } from '../inputs.js';
import { evidenceFromHar, evidenceFromToken, type MoodleEvidence } from '../moodle-version.js';

/** The release the capture's id_token names (tool_platform.version), if the capture holds one that decodes. */
function tokenEvidence(entries: readonly HarEntry[]): MoodleEvidence | undefined {
  for (const entry of entries) {
    const token = entry.formParams.get('id_token');
    const decoded = token ? decodeJwt(token) : undefined;
    const seen = decoded?.ok ? evidenceFromToken(decoded.jwt.payload) : undefined;
    if (seen) return { ...seen, from: `${seen.from} in the capture` };
  }
  return undefined;
}

/** A browser capture of the launch: what crossed the wire, hop by hop. */
export const harSource: DoctorSource = {
  given: (inputs) => inputs.har !== undefined,
  async read({ har, config, keyset }) {
    const found = await diagnoseHar(har!.entries, config, keyset);
    // Both, where the capture holds both: the release the id_token names, and how the session cookie was set.
    const cookie = evidenceFromHar(har!.entries);
    const token = tokenEvidence(har!.entries);
    const both = cookie && token && { ...cookie, release: token.release!, from: `${token.from}; ${cookie.from}` };
    const moodle = both || (cookie ?? token);
    return {
      described: `capture ${har!.source} (${har!.entries.length} requests)`,
      ...found,
      ...(moodle ? { moodle } : {}),
    };
  },
};
