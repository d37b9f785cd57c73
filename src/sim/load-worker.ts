import { parentPort, workerData } from 'node:worker_threads';
import { InsperaLtiError } from '../errors.js';
import { runLoadInProcess } from './load.js';
import { findScenario } from './scenarios.js';
import type { SimulationRequest } from './simulate.js';

/** One load worker: its own embedded world on its own core. Scenarios travel by name (they hold functions). */
const data = workerData as { request: Omit<SimulationRequest, 'scenario'>; scenario?: string; count: number; concurrency: number };
const request: SimulationRequest = { ...data.request, ...(data.scenario ? { scenario: findScenario(data.scenario)! } : {}) };
runLoadInProcess(request, data.count, data.concurrency).then(
  (raw) => parentPort!.postMessage({ ok: true, raw }),
  // The error's code and hint travel too, so bad usage found in a worker is still bad usage (exit 2).
  (error: unknown) => parentPort!.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error),
    ...(error instanceof InsperaLtiError ? { code: error.code, hint: error.hint } : {}) }),
);
