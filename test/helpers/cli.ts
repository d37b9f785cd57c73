import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/inspera-lti.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  input?: string;
  env?: NodeJS.ProcessEnv;
}

/** Run the built CLI as a user would: a real process, its exit code, stdout and stderr. Not a TTY, CI set. */
export function runCli(args: string[], options: RunOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, CI: '1', ...options.env };
    for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? process.cwd(),
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    // A command that needs no stdin may exit before reading it: EPIPE on our side is not the CLI's failure.
    child.stdin.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') reject(error);
    });
    child.stdin.end(options.input ?? '');
  });
}

export async function tempDir(): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'inspera-lti-test-'));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

/** No stack trace ever reaches a user: no "    at " frames, no Node error banners. */
export function expectNoStackTrace(result: CliResult): void {
  const all = result.stdout + result.stderr;
  if (/\n\s+at .+\(.+:\d+:\d+\)/.test(all) || /node:internal/.test(all) || /^\w*Error: /m.test(all)) {
    throw new Error(`output contains a stack trace:\n${all}`);
  }
}

/** The connection most tests start from, as an administrator makes it: `init` for a tenant, `record` Moodle's ids. */
export async function initAndRecord(run: (args: string[]) => Promise<CliResult>): Promise<void> {
  for (const args of [
    ['init', '--domain', 'university.inspera.com', '--moodle-url', 'https://moodle.example.edu', '--yes'],
    ['record', '--platform-id', 'https://moodle.example.edu', '--client-id', 'EhdzqulqmXxNDkw', '--deployment-id', '3'],
  ]) {
    const result = await run(args);
    if (result.code !== 0) throw new Error(`${args[0]} exited ${result.code}: ${result.stderr}`);
  }
}
