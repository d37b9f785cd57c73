import { parentPort, workerData } from 'node:worker_threads';
import { InsperaLtiError } from '../errors.js';
import { runLoadInProcess } from './load.js';
import { findScenario } from './scenarios.js';
import type { SimulationRequest } from './simulate.js';

/** One load worker: its own embedded world on its own core. Scenarios travel by name (they hold functions). */
const data = workerData as {
  request: Omit<SimulationRequest, 'scenario'>;
  scenario?: string;
  count: number;
  concurrency: number;
  learners: number;
};
const request: SimulationRequest = {
  ...data.request,
  ...(data.scenario ? { scenario: findScenario(data.scenario)! } : {}),
};
// The parent may ask to stop (Ctrl-C): no new launch starts, the figures so far come back.
const controller = new AbortController();
parentPort!.on('message', (message: unknown) => {
  if (message === 'stop') controller.abort();
});
let lastSent = 0;
const onProgress = (done: number, failed: number) => {
  if (Date.now() - lastSent < 200) return;
  lastSent = Date.now();
  parentPort!.postMessage({ progress: { done, failed } });
};
runLoadInProcess(request, data.count, data.concurrency, { signal: controller.signal, onProgress }, data.learners).then(
  (raw) => parentPort!.postMessage({ ok: true, raw }),
  // The error's code and hint travel too, so bad usage found in a worker is still bad usage (exit 2).
  (error: unknown) =>
    parentPort!.postMessage({
      ok: false,
      message: error instanceof Error ? error.message : String(error),
      ...(error instanceof InsperaLtiError ? { code: error.code, hint: error.hint } : {}),
    }),
);
