/** The output formats of the reporter table (reporters.ts), in its order; every report has the first three. */
export const REPORTER_NAMES = ['human', 'json', 'junit', 'markdown', 'html'] as const;

export type ReporterName = (typeof REPORTER_NAMES)[number];

/** The formats a command's report takes: the three every report has, and those of its own (a page for a ticket). */
export function reporterChoices(...own: Array<'markdown' | 'html'>): ReporterName[] {
  return REPORTER_NAMES.filter((name) => ['human', 'json', 'junit'].includes(name) || own.includes(name as never));
}
