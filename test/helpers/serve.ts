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

/** `serve platform`'s flags that register a tool by its URLs (Initiate login URL, Redirection URI, keyset). */
export function registeredToolArgs(urls: { loginInitUrl: string; redirectUrls: readonly string[]; keysetUrl: string }) {
  return [
    '--tool-login-url',
    urls.loginInitUrl,
    '--tool-redirect-url',
    urls.redirectUrls[0]!,
    '--tool-keyset-url',
    urls.keysetUrl,
  ];
}

/** `simulate`'s flags that act as the tool against a platform of the user's, from its six values and a tool port. */
export function asToolArgs(details: Record<string, string>, toolPort: number | string): string[] {
  return [
    '--platform-url',
    details['Platform ID']!,
    '--client-id',
    details['Client ID']!,
    '--deployment-id',
    details['Deployment ID']!,
    '--tool-port',
    String(toolPort),
  ];
}

/**
 * `serve tool` and `serve platform` that know each other, as a real pair is set up: the tool registers the platform
 * by its address (its port chosen first, as Inspera registers a site's wwwroot), the platform the tool's URLs.
 */
export async function startPair(
  options: { cwd?: string; env?: NodeJS.ProcessEnv; platformArgs?: string[]; toolArgs?: string[] } = {},
): Promise<{ tool: Served; platform: Served }> {
  const { freePort } = await import('./harness.js');
  const port = await freePort();
  const tool = await startServe(
    ['tool', '--platform-id', `http://127.0.0.1:${port}`, ...(options.toolArgs ?? [])],
    options,
  );
  try {
    const platform = await startServe(
      ['platform', '--port', String(port), ...registeredToolArgs(tool.info.urls), ...(options.platformArgs ?? [])],
      options,
    );
    return { tool, platform };
  } catch (error) {
    await stopServe(tool.child);
    throw error;
  }
}
