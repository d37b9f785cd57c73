import type { LoadControl } from '../../sim/load.js';
import type { SimulationRequest } from '../../sim/simulate.js';
import type { SimulateFlags } from './simulate-flags.js';
import type { Output } from '../output.js';
import { emitReport, reporterOf } from '../write-report.js';

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
  const [{ measureLoad }, { loadReport }] = await Promise.all([
    import('../../sim/load-summary.js'),
    import('../../report/load.js'),
  ]);
  const summary = await watched(out, `/${options.count}`, (control) => measureLoad(request, options, control));
  if (summary.interrupted)
    out.log(`interrupted: ${summary.ran} of ${summary.count} launches ran; the figures below are theirs`);
  await emitReport(out, loadReport(summary), reporterOf(flags), flags.output);
  if (summary.interrupted) return 130;
  return summary.failed === 0 ? 0 : 1;
}

/** The open model: launches on schedule, latency from the scheduled start, percentiles and errors per hop. */
export async function runOpenLoad(
  request: SimulationRequest,
  options: { rate: number; duration: number },
  out: Output,
  flags: SimulateFlags,
): Promise<number> {
  if (!out.json)
    out.log(
      `starting ${options.rate} ${request.grade ? 'launches with grade posts' : 'launches'} ` +
        `a second for ${options.duration} s, on schedule…`,
    );
  const [{ measureOpenLoad }, { openLoadReport }] = await Promise.all([
    import('../../sim/load-summary.js'),
    import('../../report/load.js'),
  ]);
  const summary = await watched(out, '', (control) => measureOpenLoad(request, options, control));
  await emitReport(out, openLoadReport(summary), reporterOf(flags), flags.output);
  if (summary.interrupted) return 130;
  return summary.failed === 0 ? 0 : 1;
}
