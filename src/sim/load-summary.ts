import type { LoadControl } from './load.js';
import type { SimulationRequest } from './simulate.js';

export interface LoadSummary {
  kind: 'launch' | 'grade';
  count: number;
  /** Launches that ran (fewer than count when interrupted). */
  ran: number;
  interrupted: boolean;
  concurrency: number;
  grade: boolean;
  succeeded: number;
  failed: number;
  seconds: number;
  perSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  /** CPU time of this process (every thread: the driver and whatever it embeds) per launch that ran. */
  cpuMsPerLaunch: number;
  /** The distinct failure verdicts with how often each happened. */
  failures: Array<{ verdict: string; count: number }>;
}

/** The open model's figures: launches started on schedule, latency from the scheduled start, per hop. */
export interface OpenLoadSummary {
  kind: 'launch' | 'grade';
  model: 'open';
  rate: number;
  duration: number;
  planned: number;
  started: number;
  interrupted: boolean;
  completed: number;
  succeeded: number;
  failed: number;
  seconds: number;
  achievedPerSecond: number;
  latencyMs: Percentiles;
  hops: Record<string, Percentiles>;
  errorsByHop: Record<string, number>;
  failures: Array<{ verdict: string; count: number }>;
}

export interface Percentiles {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Rounded to a tenth, as the reports show figures. */
const tenth = (n: number) => Math.round(n * 10) / 10;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function percentiles(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: tenth(percentile(sorted, 50)),
    p90: tenth(percentile(sorted, 90)),
    p99: tenth(percentile(sorted, 99)),
    max: tenth(sorted.at(-1) ?? 0),
  };
}

/** Run many launches (and grades), spread over the cores; report throughput and latency. */
export async function measureLoad(
  request: SimulationRequest,
  options: { count: number; concurrency: number },
  control: LoadControl = {},
): Promise<LoadSummary> {
  const { runLoadParallel } = await import('./load-parallel.js');
  const cpuBefore = process.cpuUsage();
  const raw = await runLoadParallel(request, options.count, options.concurrency, control);
  const cpu = process.cpuUsage(cpuBefore);
  const { count: _measured, ...latencyMs } = percentiles(raw.latencies);
  const failed = Object.values(raw.failures).reduce((a, b) => a + b, 0);
  const ran = raw.latencies.length;
  return {
    kind: request.grade === true ? 'grade' : 'launch',
    count: options.count,
    ran,
    interrupted: ran < options.count,
    concurrency: options.concurrency,
    grade: request.grade === true,
    succeeded: ran - failed,
    failed,
    seconds: tenth(raw.seconds),
    perSecond: raw.seconds > 0 ? tenth(ran / raw.seconds) : 0,
    latencyMs,
    cpuMsPerLaunch: ran ? Math.round(((cpu.user + cpu.system) / 1000 / ran) * 100) / 100 : 0,
    failures: Object.entries(raw.failures).map(([verdict, count]) => ({ verdict, count })),
  };
}

/** The open model: launches on schedule for a duration; latency from the scheduled start, per hop and in all. */
export async function measureOpenLoad(
  request: SimulationRequest,
  options: { rate: number; duration: number },
  control: LoadControl = {},
): Promise<OpenLoadSummary> {
  const { runOpenModel } = await import('./load.js');
  const raw = await runOpenModel(request, options.rate, options.duration, control);
  const failed = Object.values(raw.failures).reduce((a, b) => a + b, 0);
  const planned = Math.max(1, Math.round(options.rate * options.duration));
  return {
    kind: request.grade ? 'grade' : 'launch',
    model: 'open',
    rate: options.rate,
    duration: options.duration,
    planned,
    started: raw.started,
    interrupted: raw.started < planned,
    completed: raw.latencies.length,
    succeeded: raw.latencies.length - failed,
    failed,
    seconds: tenth(raw.seconds),
    achievedPerSecond: tenth(raw.latencies.length / raw.seconds),
    latencyMs: percentiles(raw.latencies),
    hops: Object.fromEntries(Object.entries(raw.hops).map(([hop, ms]) => [hop, percentiles(ms)])),
    errorsByHop: raw.errorsByHop,
    failures: Object.entries(raw.failures).map(([verdict, count]) => ({ verdict, count })),
  };
}
