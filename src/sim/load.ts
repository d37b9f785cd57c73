import { performance } from 'node:perf_hooks';
import { hopOf } from './launch-picture.js';
import { runVerdict } from './results.js';
import type { SimulationRequest } from './simulate.js';

export interface LoadRaw {
  latencies: number[];
  failures: Record<string, number>;
  /** From the first launch's start to the last one's end (setting up the servers and threads is not counted). */
  seconds: number;
  /** When the first launch started and the last ended, in ms since the epoch (to join the workers' runs). */
  firstStart: number;
  lastEnd: number;
}

/** Now as ms since the epoch, sub-millisecond, comparable between worker threads. */
const epochMs = () => performance.timeOrigin + performance.now();

/**
 * The learners a load run takes turns with (distinct people, so that one's scores seldom wait for another launch of
 * theirs).
 */
export const LOAD_LEARNERS = 200;

/** How a caller watches and stops a load run: progress after each launch; once aborted, no new launch starts. */
export interface LoadControl {
  signal?: AbortSignal;
  onProgress?: (done: number, failed: number) => void;
}

/**
 * One world for a load run of `total` launches and who launch i is: a real platform's accounts in turn, or up to
 * LOAD_LEARNERS embedded learners. Each acts as a person: keeps their Moodle sessions (one more for each launch of
 * theirs already in flight) while the tool keeps its access token, and their scores are posted one after another.
 */
async function openLoadWorld(request: SimulationRequest, total: number, maxLearners: number) {
  const { openSimulation } = await import('./simulate.js');
  const accounts = request.remotePlatform ? (request.accounts ?? []) : [];
  const learners = accounts.length || Math.max(1, Math.min(total, maxLearners, LOAD_LEARNERS));
  const session = await openSimulation(accounts.length ? request : { ...request, extraLearners: learners });
  const teacherOrAdmin = request.persona === 'instructor' || request.persona === 'admin';
  const launch = (i: number) =>
    session.run({
      ...(accounts.length
        ? { user: accounts[i % learners]!.username }
        : teacherOrAdmin
          ? {}
          : { user: `learner${i % learners}` }),
      asPerson: true,
    });
  return { launch, close: () => session.close() };
}

/**
 * Run `count` launches (and grades) on one embedded world in this thread, `concurrency` at a time. `maxLearners`:
 * a load worker's share of the run's learners, so that a run logs in as many people whichever the thread count.
 */
export async function runLoadInProcess(
  request: SimulationRequest,
  count: number,
  concurrency: number,
  control: LoadControl = {},
  maxLearners = LOAD_LEARNERS,
): Promise<LoadRaw> {
  const world = await openLoadWorld(request, count, maxLearners);
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  let next = 0;
  let failed = 0;
  const firstStart = epochMs();
  let lastEnd = firstStart;
  try {
    const worker = async () => {
      while (next < count && !control.signal?.aborted) {
        const i = next++;
        const t0 = performance.now();
        const result = await world.launch(i);
        latencies.push(performance.now() - t0);
        lastEnd = epochMs();
        if (!result.ok) {
          const verdict = runVerdict(result);
          failures[verdict] = (failures[verdict] ?? 0) + 1;
          failed++;
        }
        control.onProgress?.(latencies.length, failed);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  } finally {
    await world.close();
  }
  // Closing the servers is not part of the run either.
  return { latencies, failures, seconds: (lastEnd - firstStart) / 1000, firstStart, lastEnd };
}

/** Where a launch in load mode stopped, as the hop a pre-exam check reads. */
const STAGE_HOP: Record<string, string> = {
  login: 'login',
  'launch-page': 'launch.php',
  'login-initiation': 'login initiation',
  authentication: 'auth.php',
  'tool-launch': 'tool',
  replay: 'tool',
};

/** The hop of one browser step, named as the report draws it (auth.php's repost counted with auth.php). */
function stepHop(url: string, method: string, sent: Record<string, string>): string | undefined {
  const kind = hopOf({ method, url, status: 0, params: sent, setCookies: [] });
  return kind
    ? (
        {
          login: 'login',
          activity: 'activity page',
          launch: 'launch.php',
          'login-init': 'login initiation',
          auth: 'auth.php',
          repost: 'auth.php',
          'id-token': 'id_token post (tool)',
        } as Record<string, string>
      )[kind]
    : undefined;
}

export interface OpenRaw extends LoadRaw {
  started: number;
  /** Milliseconds per hop, over every launch that made it. */
  hops: Record<string, number[]>;
  /** Failed launches by the hop where they stopped. */
  errorsByHop: Record<string, number>;
}

/**
 * The open model: launches start on schedule — `rate` a second for `seconds` — whether or not earlier ones have
 * finished, as candidates do at 9:00; each launch's latency counts from its scheduled start, so queueing under load
 * shows instead of being hidden by a closed loop.
 */
export async function runOpenModel(
  request: SimulationRequest,
  rate: number,
  seconds: number,
  control: LoadControl = {},
): Promise<OpenRaw> {
  const total = Math.max(1, Math.round(rate * seconds));
  const world = await openLoadWorld(request, total, LOAD_LEARNERS);
  const raw: OpenRaw = {
    latencies: [],
    failures: {},
    seconds: 0,
    firstStart: epochMs(),
    lastEnd: 0,
    started: 0,
    hops: {},
    errorsByHop: {},
  };
  let failed = 0;
  const started = performance.now();
  const inFlight: Array<Promise<void>> = [];
  try {
    for (let i = 0; i < total && !control.signal?.aborted; i++) {
      const due = started + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      raw.started++;
      inFlight.push(
        world.launch(i).then((result) => {
          raw.latencies.push(performance.now() - due);
          for (const step of result.launch.steps) {
            const hop = stepHop(step.url, step.method, step.sent);
            if (hop) (raw.hops[hop] ??= []).push(step.capture.ms);
          }
          if (!result.ok) {
            failed++;
            const verdict = runVerdict(result);
            raw.failures[verdict] = (raw.failures[verdict] ?? 0) + 1;
            const hop = result.launch.ok ? 'grade' : (STAGE_HOP[result.launch.stage] ?? result.launch.stage);
            raw.errorsByHop[hop] = (raw.errorsByHop[hop] ?? 0) + 1;
          }
          control.onProgress?.(raw.latencies.length, failed);
        }),
      );
    }
    await Promise.all(inFlight);
    raw.lastEnd = epochMs();
  } finally {
    await world.close();
  }
  // As in the closed loop: from the first launch to the last one's end; closing the servers is not part of the run.
  raw.seconds = (raw.lastEnd - raw.firstStart) / 1000;
  return raw;
}
