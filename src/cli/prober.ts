import type { Prober } from '../http/probe.js';
import { httpLog } from './http-log.js';
import type { Output } from './output.js';

/** The live checks' HTTP client; with --verbose, every hop it makes is logged (redacted) on stderr. */
export async function cliProber(
  out: Output,
  options: { insecure?: boolean; env?: NodeJS.ProcessEnv } = {},
): Promise<Prober> {
  const { createProber } = await import('../http/probe.js');
  const prober = createProber(options);
  const trace = httpLog(out);
  if (!trace) return prober;
  const { tracedProber } = await import('../http/traced-prober.js');
  return tracedProber(prober, trace);
}
