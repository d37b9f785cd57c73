import type { Writable } from 'node:stream';
import { Chalk, type ChalkInstance } from 'chalk';
import { jsonSafe, terminalSafe } from '../util/printable.js';

/** Everything a command needs to talk to the person or program that ran it. */
export interface Output {
  stdout: Writable;
  stderr: Writable;
  /** Colour on stdout/stderr (only on a TTY, never with NO_COLOR, TERM=dumb or --no-color). */
  style: ChalkInstance;
  /** Print machine-readable JSON on stdout (exactly one document). */
  json: boolean;
  /** May we prompt? Only with a TTY on stdin, no CI, no --yes, no --json. */
  interactive: boolean;
  /** One line of human output on stdout. */
  print(line?: string): void;
  /** One log/progress/warning line on stderr. */
  log(line: string): void;
  warn(line: string): void;
  /** A progress line on stderr, only for a person at a terminal (never with --json or when piped). */
  progress(line: string): void;
  /** The single JSON document on stdout. */
  emitJson(document: unknown): void;
  /** How much to say: quiet (the verdict and errors), normal, or verbose (every request and answer too). */
  detail: Detail;
}

export type Detail = 'quiet' | 'normal' | 'verbose';

export interface OutputOptions {
  color?: boolean;
  json?: boolean;
  yes?: boolean;
  env?: NodeJS.ProcessEnv;
  stdout?: Writable & { isTTY?: boolean };
  stderr?: Writable & { isTTY?: boolean };
  stdinIsTTY?: boolean;
  /** --quiet: logs and progress are dropped, warnings and errors stay. --verbose: the caller traces requests. */
  quiet?: boolean;
  verbose?: boolean;
}

function colourWanted(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv, flag: boolean | undefined): boolean {
  if (flag === false) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  return stream.isTTY === true;
}

export function isCi(env: NodeJS.ProcessEnv): boolean {
  return env.CI !== undefined && env.CI !== '' && env.CI !== '0' && env.CI.toLowerCase() !== 'false';
}

export function createOutput(options: OutputOptions = {}): Output {
  const env = options.env ?? process.env;
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const json = options.json === true;
  const style = new Chalk({ level: colourWanted(stdout, env, options.color) ? 1 : 0 });
  // Touch process.stdin only when prompting is otherwise allowed: creating the stream costs start-up time.
  const interactive = !json && !options.yes && !isCi(env) && (options.stdinIsTTY ?? process.stdin.isTTY === true);
  const warnStyle = new Chalk({ level: colourWanted(stderr, env, options.color) ? 1 : 0 });
  const quiet = options.quiet === true;
  // Every line leaves through here: no escape sequence from outside reaches the terminal, only our own colours.
  const safeOut = (line: string) => terminalSafe(line, style.level > 0);
  const safeErr = (line: string) => terminalSafe(line, warnStyle.level > 0);
  return {
    detail: quiet ? 'quiet' : options.verbose ? 'verbose' : 'normal',
    stdout,
    stderr,
    style,
    json,
    interactive,
    print: (line = '') => void stdout.write(safeOut(line) + '\n'),
    log: (line) => {
      if (!quiet) stderr.write(safeErr(line) + '\n');
    },
    warn: (line) => void stderr.write(warnStyle.yellow('! ') + safeErr(line) + '\n'),
    progress: (line) => {
      if (!json && !quiet && stderr.isTTY === true) stderr.write(warnStyle.dim(safeErr(line)) + '\n');
    },
    emitJson: (document) => void stdout.write(jsonSafe(JSON.stringify(document, null, 2)) + '\n'),
  };
}
