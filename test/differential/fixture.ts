import { fileURLToPath } from 'node:url';

/** The real Moodle's answers to the exchange script, normalised (re-recorded by `npm run record:moodle`). */
export const FIXTURE_PATH = fileURLToPath(new URL('../../fixtures/moodle-4.5.6/exchanges.json', import.meta.url));
