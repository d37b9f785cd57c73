import { spawn, type ChildProcess } from 'node:child_process';
import { BIN } from './cli.js';

export interface Served {
  child: ChildProcess;
  /** The document `serve … --json` printed: its URLs and identity. */
  info: Record<string, any>;
  /** Everything it logged on stderr so far. */
  logs(): string;
}

/** Start `inspera-lti serve …` as a real process and resolve once it has printed its URLs. */
export function startServe(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Served> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'serve', ...args, '--json'], {
      ...(options.cwd ? { cwd: options.cwd } : {}),
      env: { PATH: process.env.PATH, CI: '1', ...options.env },
    });
    let logged = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (logged += d));
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      try {
        resolve({ child, info: JSON.parse(out), logs: () => logged });
      } catch {
        // not the whole document yet
      }
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${logged}`)));
  });
}

/** SIGTERM, and the exit code it stopped with. */
export function stopServe(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}
