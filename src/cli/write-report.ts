import { relative, resolve } from 'node:path';
import { writeFileAtomic } from '../config/save.js';
import type { Output } from './output.js';

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
