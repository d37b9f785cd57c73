import { relative, resolve } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.js';
import { InsperaLtiError } from '../errors.js';
import type { Output } from './output.js';

/** --output and --json say where and how a report goes; refuse what would be ignored or contradict itself. */
export function checkReportFlags(flags: { reporter?: string; output?: string; json?: boolean }): void {
  if (flags.output !== undefined && (flags.reporter === undefined || flags.reporter === 'human') && !flags.json) {
    throw new InsperaLtiError('USAGE', `--output ${flags.output} writes a report file, and the human output has none`, 'add --reporter json or --reporter junit (or redirect stdout: > file)');
  }
  if (flags.json && flags.reporter === 'junit') {
    throw new InsperaLtiError('USAGE', '--json and --reporter junit ask for two formats', 'choose one: --reporter junit (XML) or --json');
  }
}

/** A report goes to stdout, or atomically to --output (a report file is regenerated each run, so it is replaced). */
export async function writeReport(out: Output, text: string, output: string | undefined): Promise<void> {
  if (output === undefined) {
    out.stdout.write(text);
    return;
  }
  const path = resolve(output);
  await writeFileAtomic(path, text, { force: true });
  out.log(`report written to ${relative(process.cwd(), path) || path}`);
}
