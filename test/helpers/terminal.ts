import { spawn } from 'node:child_process';
import { BIN } from './cli.js';

export interface TerminalRun {
  /** Everything the terminal showed, carriage returns removed. */
  screen: string;
  code: number | null;
}

export interface TerminalOptions {
  columns?: number;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Keystrokes to type once the screen shows the text of `when` (each is sent once, in order). */
  keys?: Array<{ when: string | RegExp; type: string }>;
}

/**
 * Run the built CLI in a pseudo-terminal (util-linux `script`), as a person at a terminal would: stdin and stdout
 * are a TTY of the given width, CI is unset.
 */
export function atTerminal(args: string, options: TerminalOptions = {}): Promise<TerminalRun> {
  const columns = options.columns ?? 80;
  const command = `stty cols ${columns} rows 50; exec "${process.execPath}" "${BIN}" ${args}`;
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      cwd: options.cwd,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, TERM: 'xterm', NO_COLOR: '1', ...options.env },
    });
    let screen = '';
    const keys = [...(options.keys ?? [])];
    child.stdout.on('data', (data: Buffer) => {
      screen += data.toString();
      const next = keys[0];
      if (next && (typeof next.when === 'string' ? screen.includes(next.when) : next.when.test(screen))) {
        keys.shift();
        child.stdin.write(next.type);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ screen: screen.replace(/\r/g, ''), code }));
  });
}
