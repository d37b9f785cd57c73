import type { DoctorSource } from '../inputs.js';
import { configSource } from './config.js';
import { errorSource } from './error.js';
import { harSource } from './har.js';
import { liveSource } from './live.js';
import { tokenSource } from './token.js';

/** Doctor's inputs, in the order the report names them. */
export const SOURCES: readonly DoctorSource[] = [configSource, liveSource, tokenSource, harSource, errorSource];
