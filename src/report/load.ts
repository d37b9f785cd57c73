import type { LoadSummary, OpenLoadSummary } from '../sim/load-summary.js';
import type { Report } from './reporters.js';

/** A closed-loop load run (--count) for the reporters. */
export function loadReport(summary: LoadSummary): Report {
  return {
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
}

/** An open-model load run (--rate, --duration) for the reporters. */
export function openLoadReport(summary: OpenLoadSummary): Report {
  const failed = summary.failed;
  return {
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
}
