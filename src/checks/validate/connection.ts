import type { Config } from '../../config/types.js';
import type { Prober } from '../../http/probe.js';
import { runChecks } from '../runner.js';
import { createValidateContext } from './context.js';
import { validateChecks } from './index.js';
import { judgeReachability, type Reachability } from './reachability.js';

/** One connection to check live: its config, the prober to ask with, and the time one request may take. */
export interface ValidateRequest {
  config: Config;
  prober: Prober;
  /** Per request, in ms. */
  timeoutMs: number;
  /** One side only. */
  only?: 'platform' | 'tool';
}

/**
 * The live checks of one connection — validate's, doctor --live's and each of fleet's: every check at once, each
 * within a budget of a little more than two requests (a check may make a few in a row), judged for reachability.
 */
export async function validateConnection(request: ValidateRequest): Promise<Reachability & { seconds: number }> {
  const started = Date.now();
  const results = await runChecks(
    validateChecks(request.only, request.config.checks.skip),
    createValidateContext(request.config, request.prober, request.timeoutMs),
    { timeoutMs: request.timeoutMs * 2 + 1_000 },
  );
  return { ...judgeReachability(results), seconds: (Date.now() - started) / 1000 };
}
