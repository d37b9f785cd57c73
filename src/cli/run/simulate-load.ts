import type { LoadControl } from '../../sim/load.js';
import type { SimulationRequest } from '../../sim/simulate.js';
import type { SimulateFlags } from './simulate-flags.js';
import type { Output } from '../output.js';
import { emitReport, reporterOf } from '../write-report.js';
import { InsperaLtiError } from '../../errors.js';
import { numberFlag } from '../number-flag.js';

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

async function runLoad(
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
async function runOpenLoad(
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

/** A load run as simulate's flags ask for it: the open model (--rate, --duration) or a closed loop (--count). */
export async function runLoadMode(request: SimulationRequest, flags: SimulateFlags, out: Output): Promise<number> {
  if (flags.rate !== undefined || flags.duration !== undefined) {
    if (flags.rate === undefined || flags.duration === undefined)
      throw new InsperaLtiError(
        'USAGE',
        'the open model needs both --rate and --duration',
        'e.g. --rate 20 --duration 60',
      );
    if (flags.count !== undefined)
      throw new InsperaLtiError(
        'USAGE',
        '--count (a closed loop) and --rate (the open model) are two kinds of load run',
        'choose one',
      );
    await confirmLoad(request, flags, out);
    return runOpenLoad(
      request,
      {
        rate: numberFlag(flags.rate, '--rate', 10, { min: 0.1, max: 1000 }),
        duration: numberFlag(flags.duration, '--duration', 60, { min: 1, max: 600 }),
      },
      out,
      flags,
    );
  }
  await confirmLoad(request, flags, out);
  return runLoad(
    request,
    {
      count: numberFlag(flags.count, '--count', 100, { min: 1, max: 1_000_000, integer: true }),
      concurrency: numberFlag(flags.concurrency, '--concurrency', 10, { min: 1, max: 1000, integer: true }),
    },
    out,
    flags,
  );
}

/** Load against anything but this machine is real load on a real system: only when asked for (or confirmed). */
async function confirmLoad(request: SimulationRequest, flags: SimulateFlags, out: Output): Promise<void> {
  const targets = [
    request.remotePlatform?.platformId,
    request.remoteTool?.loginInitUrl,
    request.remoteTool?.launchUrl,
  ].filter((u): u is string => !!u);
  const away = targets.filter((u) => !['127.0.0.1', 'localhost', '[::1]'].includes(new URL(u).hostname));
  if (!away.length || flags.yesLoadTest) return;
  const hosts = [...new Set(away.map((u) => new URL(u).host))].join(', ');
  if (out.interactive) {
    const { confirm } = await import('@inquirer/prompts');
    if (await confirm({ message: `Put load on ${hosts}? It is a real system`, default: false })) return;
  }
  throw new InsperaLtiError(
    'USAGE',
    `load on ${hosts} is real load on a real system`,
    "add --yes-load-test to run it (agree it with the system's owners first)",
  );
}
