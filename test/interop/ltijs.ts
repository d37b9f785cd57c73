import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';
import { freePort } from '../helpers/harness.js';
import { createDatabase } from '../helpers/postgres.js';

export const LTIJS_DIR = fileURLToPath(new URL('./ltijs/', import.meta.url));

export interface LtijsTool {
  origin: string;
  /** The flags that point `simulate` at it, with the platform port it has registered. */
  flags: string[];
  /**
   * The same, naming it `localhost`: another site than the platform's 127.0.0.1, as a tenant is another site than
   * Moodle.
   */
  crossSiteFlags: string[];
  /** What the tool said (stdout's JSON events), and ltijs's own debug lines (stderr). */
  events: Array<{ event: string; [key: string]: unknown }>;
  debug: string[];
  stop(): Promise<void>;
}

/**
 * An ltijs tool in a process of its own, with a database of its own, registered for an embedded platform that will
 * answer at http://127.0.0.1:<platformPort> with `clientId`; `score` (of 10) is posted on every launch when given.
 */
export async function startLtijs(options: { clientId?: string; score?: number } = {}): Promise<LtijsTool> {
  const { pgPort } = inject('interop');
  const database = `ltijs_${randomBytes(4).toString('hex')}`;
  await createDatabase(pgPort, 'ltijs', database);
  const [port, platformPort] = [await freePort(), await freePort()];
  const platform = `http://127.0.0.1:${platformPort}`;
  const child: ChildProcess = spawn(process.execPath, ['tool.cjs'], {
    cwd: LTIJS_DIR,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      PLATFORM: platform,
      CLIENT_ID: options.clientId ?? 'EhdzqulqmXxNDkw',
      DB_PORT: String(pgPort),
      DB_NAME: database,
      DEBUG: 'provider:platform',
      ...(options.score !== undefined ? { SCORE: String(options.score) } : {}),
    },
  });
  const events: LtijsTool['events'] = [];
  const debug: string[] = [];
  let stderr = '';
  const ready = new Promise<void>((resolve, reject) => {
    let buffered = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        try {
          const event = JSON.parse(line);
          events.push(event);
          if (event.event === 'ready') resolve();
        } catch {
          /* ltijs's own output */
        }
      }
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      debug.push(...chunk.split('\n').filter(Boolean));
    });
    child.once('exit', (code) =>
      reject(new Error(`the ltijs tool exited (${code}) before it was ready: ${stderr.slice(-2000)}`)),
    );
    setTimeout(
      () => reject(new Error(`the ltijs tool was not ready within 30 s: ${stderr.slice(-2000)}`)),
      30_000,
    ).unref();
  });
  const stop = async () => {
    if (child.exitCode !== null) return;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await gone;
  };
  try {
    await ready;
  } catch (error) {
    await stop();
    throw error;
  }
  const origin = `http://127.0.0.1:${port}`;
  const flagsAt = (at: string) => [
    '--tool-login-url',
    `${at}/login`,
    '--tool-launch-url',
    `${at}/launch`,
    '--tool-keyset-url',
    `${at}/keys`,
    '--platform-port',
    String(platformPort),
  ];
  return { origin, events, debug, stop, flags: flagsAt(origin), crossSiteFlags: flagsAt(`http://localhost:${port}`) };
}

/**
 * The CLI as a user runs it, with the suite's keys folder: one platform identity for every run, as in a CI pipeline.
 */
export function cli(args: string[]): Promise<CliResult> {
  return runCli(args, { env: { INSPERA_LTI_KEYS_DIR: inject('interop').keysDir } });
}
