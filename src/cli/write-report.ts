import { relative, resolve } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.js';
import { InsperaLtiError } from '../errors.js';
import type { Report, ReporterName, ReportMeta } from '../report/reporters.js';
import { packageVersion } from '../version.js';
import type { Output } from './output.js';

/** --output and --json say where and how a report goes; refuse what would be ignored or contradict itself. */
export function checkReportFlags(flags: { reporter?: string; output?: string; json?: boolean; quiet?: boolean }): void {
  if (flags.quiet && ((flags.reporter !== undefined && flags.reporter !== 'human') || flags.output !== undefined)) {
    throw new InsperaLtiError(
      'USAGE',
      `--quiet shortens what a person reads; the ${flags.reporter ?? 'report'} file is always whole`,
      'drop --quiet, or drop --reporter/--output',
    );
  }
  if (flags.output !== undefined && (flags.reporter === undefined || flags.reporter === 'human') && !flags.json) {
    throw new InsperaLtiError(
      'USAGE',
      `--output ${flags.output} writes a report file, and the human output has none`,
      'add --reporter json or --reporter junit (or redirect stdout: > file)',
    );
  }
  if (flags.json && flags.reporter !== undefined && flags.reporter !== 'human' && flags.reporter !== 'json') {
    throw new InsperaLtiError(
      'USAGE',
      `--json and --reporter ${flags.reporter} ask for two formats`,
      `choose one: --reporter ${flags.reporter} or --json`,
    );
  }
}

/** The reporter the flags ask for: --json is --reporter json. */
export function reporterOf(flags: { reporter?: string; json?: boolean }): ReporterName {
  return flags.json ? 'json' : ((flags.reporter as ReporterName | undefined) ?? 'human');
}

/** Hand a run to the chosen reporter: to stdout (a person's lines at a terminal), or atomically to --output. */
export async function emitReport(
  out: Output,
  report: Report,
  reporter: ReporterName,
  output: string | undefined,
): Promise<void> {
  const { REPORTERS, reportersFor } = await import('../report/reporters.js');
  if (!REPORTERS[reporter].available(report)) {
    throw new InsperaLtiError(
      'USAGE',
      `--reporter ${reporter}: ${report.name} has no ${reporter} form`,
      `use one of: ${reportersFor(report).join(', ')}`,
    );
  }
  if (reporter === 'human' && output === undefined) {
    const { quietLines } = await import('../report/reporters.js');
    for (const line of out.detail === 'quiet' ? quietLines(report, out.style) : report.human(out.style))
      out.print(line);
    return;
  }
  await writeReport(out, await REPORTERS[reporter].render(report, { style: out.style, meta: reportMeta() }), output);
}

export function reportMeta(): ReportMeta {
  return { version: packageVersion(), when: new Date().toISOString() };
}

/** A report goes to stdout, or atomically to --output (a report file is regenerated each run, so it is replaced). */
async function writeReport(out: Output, text: string, output: string | undefined): Promise<void> {
  if (output === undefined) {
    out.stdout.write(text);
    return;
  }
  const path = resolve(output);
  await writeFileAtomic(path, text, { force: true });
  out.log(`report written to ${relative(process.cwd(), path) || path}`);
}
