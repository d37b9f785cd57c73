import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InsperaLtiError } from '../../errors.js';
import type { PreviousConnection } from '../../fleet/compare.js';
import type { ReporterName } from '../../report/reporters.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { numberFlag } from '../number-flag.js';
import { createOutput } from '../output.js';
import { readTextInput } from '../read-input.js';
import { checkReportFlags, emitReport, reporterOf, reportMeta } from '../write-report.js';

export interface FleetFlags {
  list?: string;
  concurrency?: string;
  perHost?: string;
  timeout?: string;
  since?: string;
  reportDir?: string;
  insecure?: boolean;
  reporter?: ReporterName;
  output?: string;
  json?: boolean;
  color?: boolean;
}

/** The paths a list file names: one a line, blank lines and "#" comments left out. */
async function listed(file: string): Promise<string[]> {
  const text = await readTextInput(file, '--list');
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter(Boolean);
}

async function previousRun(file: string): Promise<PreviousConnection[]> {
  const text = await readTextInput(file, '--since', 64 * 1024 * 1024);
  try {
    const doc = JSON.parse(text) as { connections?: unknown };
    if (!Array.isArray(doc.connections)) throw new Error('no connections');
    return doc.connections.map(previousConnection);
  } catch {
    throw new InsperaLtiError(
      'INVALID_VALUE',
      `--since ${file} is not the JSON of a fleet run`,
      'give the file a previous `inspera-lti fleet --json` wrote',
    );
  }
}

/** One connection of a previous run's JSON, its shape checked (the file is input: it may be anything). */
function previousConnection(value: unknown): PreviousConnection {
  const c = value as Record<string, unknown> | null;
  const observed = c?.observed;
  if (
    typeof c !== 'object' ||
    c === null ||
    typeof c.name !== 'string' ||
    typeof c.status !== 'string' ||
    (c.seconds !== undefined && typeof c.seconds !== 'number') ||
    (observed !== undefined &&
      (typeof observed !== 'object' || observed === null || Object.values(observed).some((v) => typeof v !== 'string')))
  )
    throw new Error('not a connection');
  return c as unknown as PreviousConnection;
}

export async function runFleetCommand(paths: string[], flags: FleetFlags): Promise<number> {
  const out = createOutput({
    color: flags.color,
    json: flags.json === true || (flags.reporter !== undefined && flags.reporter !== 'human'),
    yes: true,
  });
  checkReportFlags(flags);
  const concurrency = numberFlag(flags.concurrency, '--concurrency', 16, { min: 1, max: 256, integer: true });
  const perHost = numberFlag(flags.perHost, '--per-host', 4, { min: 1, max: 64, integer: true });
  const timeoutMs = numberFlag(flags.timeout, '--timeout', 10_000, { min: 100, max: 600_000 });
  const all = [...paths, ...(flags.list ? await listed(flags.list) : [])];
  if (!all.length) {
    throw new InsperaLtiError(
      'MISSING_FLAG',
      'no connections to check',
      'give config files or folders of them, or --list <file> (one path a line)',
    );
  }
  const previous = flags.since ? await previousRun(flags.since) : undefined;
  const [{ gatherConnections }, { runFleet }, { compareRuns }, { fleetReport }, { createProber }] = await Promise.all([
    import('../../fleet/connections.js'),
    import('../../fleet/run.js'),
    import('../../fleet/compare.js'),
    import('../../report/fleet.js'),
    import('../../http/probe.js'),
  ]);
  const connections = await gatherConnections(all);
  if (!connections.length)
    throw new InsperaLtiError(
      'INVALID_VALUE',
      'the paths hold no config files',
      'give config files (*.yaml, *.json) or folders of them',
    );
  const prober = createProber({ insecure: flags.insecure === true });
  const started = performance.now();
  let results: Awaited<ReturnType<typeof runFleet>>;
  try {
    results = await runFleet(connections, {
      concurrency,
      perHost,
      timeoutMs,
      prober,
      onDone: (done, total) => out.progress(`checked ${done}/${total} connections…`),
    });
  } finally {
    await prober.close();
  }
  const seconds = Math.round(performance.now() - started) / 1000;
  const changes = previous ? compareRuns(results, previous) : undefined;
  const links = new Map<string, string>();
  if (flags.reportDir) {
    const dir = resolve(flags.reportDir);
    await mkdir(dir, { recursive: true });
    const { doctorReport } = await import('../../report/doctor.js');
    const meta = reportMeta();
    for (const [index, result] of results.entries()) {
      if (!result.diagnosis) continue;
      const file = `${String(index + 1).padStart(3, '0')}-${result.name.replace(/[^\w.-]+/g, '_').slice(0, 80)}.html`;
      await writeFileAtomic(join(dir, file), await doctorReport(result.diagnosis, undefined).html!(meta), {
        force: true,
      });
      links.set(result.name, file);
    }
    const index = await fleetReport(results, { seconds, ...(changes ? { changes } : {}), links }).html!(meta);
    await writeFileAtomic(join(dir, 'index.html'), index, { force: true });
    out.log(`fleet report written to ${join(flags.reportDir, 'index.html')}`);
  }
  await emitReport(
    out,
    fleetReport(results, { seconds, ...(changes ? { changes } : {}), links }),
    reporterOf(flags),
    flags.output,
  );
  return results.some((r) => r.status === 'fail') ? 1 : 0;
}
