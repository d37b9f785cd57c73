import { REPORTER_NAMES, type ReporterName } from './reporter-names.js';
import { jsonSafe, terminalSafe } from '../util/printable.js';
import type { ChalkInstance } from 'chalk';
import type { CheckResult } from '../core/result.js';
import { renderChecks } from './human-checks.js';
import { toJunit } from './junit.js';

/** Where and when a report file was made, for its heading. */
export interface ReportMeta {
  version: string;
  when: string;
}

/**
 * A command's run as every reporter can show it: validate, doctor and simulate build one of these and hand it to
 * the reporter the user chose; a new format is an entry in REPORTERS, its name in reporter-names.ts, and — when not
 * every report has it — a method of Report that the reports with it define.
 */
export interface Report {
  /** The JUnit suite name: "validate", "doctor", "simulate launch --scenario …". */
  name: string;
  seconds?: number;
  /** Every check the run made, for JUnit: a failure carries its finding and the fix. */
  results: () => CheckResult[];
  /** The JSON document, as `--json` prints it. */
  json: () => unknown;
  /** Lines for a person at a terminal. */
  human: (style: ChalkInstance) => string[];
  /** With --quiet: the verdict and what failed. Without it, the failed checks and the last line of `human`. */
  quiet?: (style: ChalkInstance) => string[];
  /** A Markdown page for a support ticket, when the command has one. */
  markdown?: (meta: ReportMeta) => string;
  /** A self-contained HTML page drawing the launch, when the command has one. */
  html?: (meta: ReportMeta) => Promise<string>;
}

export type { ReporterName } from './reporter-names.js';

interface Reporter {
  /** Whether this report can take this form. */
  available(report: Report): boolean;
  render(report: Report, context: { style: ChalkInstance; meta: ReportMeta }): Promise<string>;
}

/** The one table of output formats. */
export const REPORTERS: Readonly<Record<ReporterName, Reporter>> = {
  human: {
    available: () => true,
    render: async (report, { style }) => terminalSafe(report.human(style).join('\n'), style.level > 0) + '\n',
  },
  json: { available: () => true, render: async (report) => jsonSafe(JSON.stringify(report.json(), null, 2)) + '\n' },
  junit: {
    available: () => true,
    render: async (report) =>
      toJunit([
        {
          name: report.name,
          results: report.results(),
          ...(report.seconds !== undefined ? { timeSeconds: report.seconds } : {}),
        },
      ]),
  },
  markdown: {
    available: (report) => report.markdown !== undefined,
    render: async (report, { meta }) => report.markdown!(meta),
  },
  html: { available: (report) => report.html !== undefined, render: async (report, { meta }) => report.html!(meta) },
};

/** The verdict and what failed, for --quiet. */
export function quietLines(report: Report, style: ChalkInstance): string[] {
  if (report.quiet) return report.quiet(style);
  const failed = report.results().filter((result) => result.status === 'fail');
  const verdict = report
    .human(style)
    .filter((line) => line.trim() !== '')
    .at(-1);
  return [...renderChecks(failed, style, ''), ...(verdict ? [verdict] : [])];
}

/** The reporters a report can use, for --help and messages. */
export function reportersFor(report: Report): ReporterName[] {
  return REPORTER_NAMES.filter((name) => REPORTERS[name].available(report));
}
