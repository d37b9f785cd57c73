import { isInsperaLtiError } from '../errors.js';
import { printable } from '../util/printable.js';
import { redact } from '../util/redact.js';

export function isPromptExit(error: unknown): boolean {
  return error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError');
}

/**
 * Print an error as one line on stderr (what, where, how to fix) — and, with --json, as the one JSON document on
 * stdout. A stack trace only for our own bugs, and only with --debug.
 */
export function reportError(error: unknown, options: { json: boolean; debug: boolean }): void {
  if (isPromptExit(error)) {
    process.stderr.write('inspera-lti: cancelled — nothing was saved\n');
    return;
  }
  if (isInsperaLtiError(error)) {
    // Messages quote what the user gave or a file held: escaped (DEL, U+202E, U+200B…) and shortened for the terminal.
    const line = printable(redact(error.hint ? `${error.message} — ${error.hint}` : error.message), 600);
    process.stderr.write(`inspera-lti: ${line}\n`);
    if (options.json) {
      process.stdout.write(
        JSON.stringify(
          { ok: false, error: { code: error.code, message: redact(error.message), hint: error.hint ?? null } },
          null,
          2,
        ) + '\n',
      );
    }
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(
    `inspera-lti: internal error: ${printable(redact(message), 600)} ` +
      `— this is a bug in inspera-lti; please report ` +
      `it with the command you ran${options.debug ? '' : ' and the output of --debug'}\n`,
  );
  if (options.debug && error instanceof Error && error.stack) process.stderr.write(error.stack + '\n');
  if (options.json) {
    process.stdout.write(
      JSON.stringify({ ok: false, error: { code: 'INTERNAL', message: redact(message), hint: null } }, null, 2) + '\n',
    );
  }
}
