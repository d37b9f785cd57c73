import type { LoadControl } from '../../sim/load.js';
import type { SimulationRequest } from '../../sim/simulate.js';
import type { SimulateFlags } from './simulate-flags.js';
import type { Output } from '../output.js';
import type { Report } from '../../report/reporters.js';
import { emitReport, reporterOf } from '../write-report.js';

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

/** Rounded to a tenth, as the reports show figures. */
const tenth = (n: number) => Math.round(n * 10) / 10;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * A load run under watch: progress at most once a second (done, rate, failures; `of` after the count, e.g. "/3000"),
 * and Ctrl-C stops starting launches so the figures so far are reported (the caller exits 130).
 */
async function watched<T>(out: Output, of: string, run: (control: LoadControl) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const interrupt = () => controller.abort();
  process.once('SIGINT', interrupt);
  const began = Date.now();
  let shown = 0;
  try {
    return await run({
      signal: controller.signal,
      onProgress: (done, failed) => {
        if (Date.now() - shown < 1000) return;
        shown = Date.now();
        out.progress(`  ${done}${of} done · ${Math.round(done / ((Date.now() - began) / 1000))}/s · ${failed} failed`);
      },
    });
  } finally {
    process.off('SIGINT', interrupt);
  }
}

/** Run many launches (and grades), spread over the cores; report throughput and latency. */
export async function measureLoad(
  request: SimulationRequest,
  options: { count: number; concurrency: number },
  control: LoadControl = {},
): Promise<LoadSummary> {
  const { runLoadParallel } = await import('../../sim/load-parallel.js');
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

export async function runLoad(
  request: SimulationRequest,
  options: { count: number; concurrency: number },
  out: Output,
  flags: SimulateFlags,
): Promise<number> {
  if (!out.json)
    out.log(
      `running ${options.count} ${request.grade ? 'launches with grade posts' : 'launches'}, ` +
        `${options.concurrency} at a time…`,
    );
  const summary = await watched(out, `/${options.count}`, (control) => measureLoad(request, options, control));
  if (summary.interrupted)
    out.log(`interrupted: ${summary.ran} of ${summary.count} launches ran; the figures below are theirs`);
  const report: Report = {
    name: 'simulate load',
    seconds: summary.seconds,
    results: () => [
      {
        id: 'load.launches',
        title: `${summary.ran} launches`,
        status: summary.failed ? 'fail' : 'pass',
        finding:
          `${summary.succeeded} ok, ${summary.failed} failed, ` +
          `${summary.perSecond}/s, p50 ${summary.latencyMs.p50} ` +
          `ms, p99 ${summary.latencyMs.p99} ms`,
      },
    ],
    json: () => ({ ok: summary.failed === 0 && !summary.interrupted, kind: summary.kind, load: summary }),
    human: (s) => [
      s.bold(
        `Load: ${summary.ran}${summary.interrupted ? ` of ${summary.count}` : ''} ` +
          `${summary.grade ? 'launches + grade posts' : 'launches'} ` +
          `at concurrency ${summary.concurrency}`,
      ),
      `  ${summary.succeeded} ok, ${summary.failed ? s.red(`${summary.failed} failed`) : '0 failed'} ` +
        `in ${summary.seconds} s — ${s.bold(`${summary.perSecond}/s`)}`,
      `  latency p50 ${summary.latencyMs.p50} ms · ` +
        `p90 ${summary.latencyMs.p90} ms · p99 ${summary.latencyMs.p99} ` +
        `ms · max ${summary.latencyMs.max} ms`,
      `  CPU ${summary.cpuMsPerLaunch} ms per launch (this process: the driver and what it embeds)`,
      ...summary.failures.map((f) => `  ${s.red('✖')} ${f.count}× ${f.verdict}`),
    ],
  };
  await emitReport(out, report, reporterOf(flags), flags.output);
  if (summary.interrupted) return 130;
  return summary.failed === 0 ? 0 : 1;
}

function percentiles(values: number[]): { count: number; p50: number; p90: number; p99: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: tenth(percentile(sorted, 50)),
    p90: tenth(percentile(sorted, 90)),
    p99: tenth(percentile(sorted, 99)),
    max: tenth(sorted.at(-1) ?? 0),
  };
}

/** The open model: launches on schedule, latency from the scheduled start, percentiles and errors per hop. */
export async function runOpenLoad(
  request: SimulationRequest,
  options: { rate: number; duration: number },
  out: Output,
  flags: SimulateFlags,
): Promise<number> {
  const { runOpenModel } = await import('../../sim/load.js');
  if (!out.json)
    out.log(
      `starting ${options.rate} ${request.grade ? 'launches with grade posts' : 'launches'} ` +
        `a second for ${options.duration} s, on schedule…`,
    );
  const raw = await watched(out, '', (control) => runOpenModel(request, options.rate, options.duration, control));
  const failed = Object.values(raw.failures).reduce((a, b) => a + b, 0);
  const planned = Math.max(1, Math.round(options.rate * options.duration));
  const summary = {
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
  const report: Report = {
    name: 'simulate load (open model)',
    seconds: summary.seconds,
    results: () => [
      {
        id: 'load.open',
        title: `${summary.rate} launches/s for ${summary.duration} s`,
        status: failed || summary.interrupted ? 'fail' : 'pass',
        finding:
          `${summary.completed} of ${summary.planned} done, ` +
          `${summary.failed} failed, achieved ${summary.achievedPerSecond}/s, ` +
          `p50 ${summary.latencyMs.p50} ms, p99 ${summary.latencyMs.p99} ` +
          `ms`,
      },
      ...Object.entries(summary.errorsByHop).map(([hop, n]) => ({
        id: `load.hop.${hop}`,
        title: `hop ${hop}`,
        status: 'fail' as const,
        finding: `${n} failed at ${hop}`,
      })),
    ],
    json: () => ({ ok: failed === 0 && !summary.interrupted, kind: summary.kind, load: summary }),
    human: (s) => [
      s.bold(
        `Open model: ${summary.rate} launches/s for ${summary.duration} ` +
          `s — ${summary.completed} of ${summary.planned} ` +
          `done, ${summary.failed ? s.red(`${summary.failed} failed`) : '0 failed'}`,
      ),
      `  achieved ${summary.achievedPerSecond}/s · ` +
        `latency from the scheduled start p50 ${summary.latencyMs.p50} ` +
        `ms · p90 ${summary.latencyMs.p90} ms · p99 ${summary.latencyMs.p99} ` +
        `ms`,
      '  per hop (ms):',
      ...Object.entries(summary.hops).map(
        ([hop, p]) =>
          `    ${hop.padEnd(22)} p50 ${String(p.p50).padStart(6)} ` +
          ` p90 ${String(p.p90).padStart(6)}  p99 ${String(p.p99).padStart(6)} ` +
          ` max ${String(p.max).padStart(6)}  (${p.count})`,
      ),
      ...Object.entries(summary.errorsByHop).map(([hop, n]) => `  ${s.red('✖')} ${n} failed at ${hop}`),
      ...summary.failures.map((f) => `  ${s.red('✖')} ${f.count}× ${f.verdict}`),
    ],
  };
  await emitReport(out, report, reporterOf(flags), flags.output);
  if (summary.interrupted) return 130;
  return failed === 0 ? 0 : 1;
}
