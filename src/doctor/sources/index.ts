import type { DoctorSource } from '../inputs.js';
import { configSource } from './config.js';
import { errorSource } from './error.js';
import { harSource } from './har.js';
import { liveSource } from './live.js';
import { tokenSource } from './token.js';
import { moodleSource } from './moodle.js';

/** Doctor's inputs, in the order the report names them. */
export const SOURCES: readonly DoctorSource[] = [
  configSource,
  moodleSource,
  liveSource,
  tokenSource,
  harSource,
  errorSource,
];
