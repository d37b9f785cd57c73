import { performance } from 'node:perf_hooks';
import type { SimulationRequest } from './simulate.js';

export interface LoadRaw {
  latencies: number[];
  failures: Record<string, number>;
  seconds: number;
}

/** How a caller watches and stops a load run: progress after each launch; once aborted, no new launch starts. */
export interface LoadControl {
  signal?: AbortSignal;
  onProgress?: (done: number, failed: number) => void;
}

/** Run `count` launches (and grades) on one embedded world in this thread, `concurrency` at a time. */
export async function runLoadInProcess(request: SimulationRequest, count: number, concurrency: number, control: LoadControl = {}): Promise<LoadRaw> {
  const { openSimulation } = await import('./simulate.js');
  // A real platform has the accounts it was given; the embedded one gets learners enough to keep grades apart.
  const accounts = request.remotePlatform ? request.accounts ?? [] : [];
  const learners = accounts.length || Math.min(count, 200);
  const session = await openSimulation(accounts.length ? request : { ...request, extraLearners: learners });
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  let next = 0;
  let failed = 0;
  const started = performance.now();
  try {
    const worker = async () => {
      while (next < count && !control.signal?.aborted) {
        const i = next++;
        const t0 = performance.now();
        const result = await session.run({
          ...(accounts.length ? { user: accounts[i % learners]!.username }
            : request.persona === 'instructor' || request.persona === 'admin' ? {} : { user: `learner${i % learners}` }),
          timestampOffsetSeconds: Math.floor(i / learners),
          // People keep their Moodle session and the tool keeps its access token, as in real use.
          reuseSessions: true,
        });
        latencies.push(performance.now() - t0);
        if (!result.ok) {
          const verdict = result.grade && result.launch.ok ? result.grade.verdict : result.launch.verdict;
          failures[verdict] = (failures[verdict] ?? 0) + 1;
          failed++;
        }
        control.onProgress?.(latencies.length, failed);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  } finally {
    await session.close();
  }
  return { latencies, failures, seconds: (performance.now() - started) / 1000 };
}
