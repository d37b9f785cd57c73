import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { InsperaLtiError, type ErrorCode } from '../errors.js';
import { LOAD_LEARNERS, runLoadInProcess, type LoadControl, type LoadRaw } from './load.js';
import type { SimulationRequest } from './simulate.js';

/** The bundled worker entry (dist/load-worker.js); absent when running from TypeScript sources. */
function workerFile(): string | undefined {
  for (const relative of ['./load-worker.js', '../load-worker.js']) {
    const path = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(path)) return path;
  }
  return undefined;
}

function inWorker(
  file: string,
  request: SimulationRequest,
  count: number,
  concurrency: number,
  learners: number,
  control: { signal?: AbortSignal; onProgress: (done: number, failed: number) => void },
): Promise<LoadRaw> {
  const { scenario, ...rest } = request;
  return new Promise((resolve, reject) => {
    const worker = new Worker(file, {
      workerData: { request: rest, ...(scenario ? { scenario: scenario.name } : {}), count, concurrency, learners },
    });
    const stop = () => worker.postMessage('stop');
    control.signal?.addEventListener('abort', stop, { once: true });
    worker.on(
      'message',
      (message: {
        ok?: boolean;
        progress?: { done: number; failed: number };
        raw?: LoadRaw;
        message?: string;
        code?: ErrorCode;
        hint?: string;
      }) => {
        if (message.progress) return control.onProgress(message.progress.done, message.progress.failed);
        control.signal?.removeEventListener('abort', stop);
        void worker.terminate();
        if (message.ok) resolve(message.raw!);
        else
          reject(
            message.code
              ? new InsperaLtiError(message.code, message.message ?? '', message.hint)
              : new Error(message.message),
          );
      },
    );
    worker.once('error', reject);
  });
}

/**
 * Spread a load run over the machine's cores: one embedded world per worker thread, the launches and the
 * concurrency divided between them. Falls back to this thread when workers are not available.
 */
export async function runLoadParallel(
  request: SimulationRequest,
  count: number,
  concurrency: number,
  control: LoadControl = {},
): Promise<LoadRaw> {
  const file = workerFile();
  const workers = Math.max(1, Math.min(availableParallelism(), concurrency, Math.floor(count / 20) || 1, 8));
  // A real platform or tool knows one identity: one embedded tool (or platform) on its fixed port, in this thread.
  if (!file || workers === 1 || request.remotePlatform || request.remoteTool)
    return runLoadInProcess(request, count, concurrency, control);
  const shares = Array.from({ length: workers }, (_, i) => ({
    count: Math.floor(count / workers) + (i < count % workers ? 1 : 0),
    concurrency: Math.floor(concurrency / workers) + (i < concurrency % workers ? 1 : 0),
  }));
  // Each worker reports its own progress; the caller sees the sum.
  const progress = shares.map(() => ({ done: 0, failed: 0 }));
  // The run's learners are shared out: each worker's embedded Moodle has its own, and logs in only those.
  const learners = Math.ceil(LOAD_LEARNERS / workers);
  const parts = await Promise.all(
    shares.map((share, i) =>
      inWorker(file, request, share.count, share.concurrency, learners, {
        ...(control.signal ? { signal: control.signal } : {}),
        onProgress: (done, failed) => {
          progress[i] = { done, failed };
          control.onProgress?.(
            progress.reduce((n, p) => n + p.done, 0),
            progress.reduce((n, p) => n + p.failed, 0),
          );
        },
      }),
    ),
  );
  const failures: Record<string, number> = {};
  for (const part of parts)
    for (const [verdict, n] of Object.entries(part.failures)) failures[verdict] = (failures[verdict] ?? 0) + n;
  // From the first launch in any worker to the last one anywhere, as in one thread: starting threads is set-up.
  const firstStart = Math.min(...parts.map((p) => p.firstStart));
  const lastEnd = Math.max(...parts.map((p) => p.lastEnd));
  return {
    latencies: parts.flatMap((p) => p.latencies),
    failures,
    seconds: (lastEnd - firstStart) / 1000,
    firstStart,
    lastEnd,
  };
}
