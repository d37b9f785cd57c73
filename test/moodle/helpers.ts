import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli, tempDir, type CliResult } from '../helpers/cli.js';
import { startServe, stopServe, type Served } from '../helpers/serve.js';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { byLine, moodle, site, type Person } from './harness/site.js';

/**
 * What Moodle's login page says after a wrong password (lang/en/moodle.php): 'invalidlogin' up to 4.5; 5.2's boost
 * template shows a title above the detail ('logininvalidlogintitle', 'logininvalidlogindetail').
 */
export const REFUSED_LOGIN = () =>
  byLine({
    '4.5': 'Invalid login, please try again',
    '5.2': 'Unable to log in: Your login info may be incorrect. Please try again.',
  });

/** The CLI as a user runs it, with the suite's keys (shared by `serve tool` and `simulate`, as Moodle caches them). */
export function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return runCli(args, { cwd, env: { INSPERA_LTI_KEYS_DIR: moodle().keysDir, ...env } });
}

/**
 * A work folder for the file's tests (a user's current directory), removed afterwards; with `restoreTool`, the Inspera
 * tool type is put back to the recommended settings after each test that changed it.
 */
export function useWorkDir(options: { restoreTool?: boolean } = {}): () => string {
  let dir: Awaited<ReturnType<typeof tempDir>> | undefined;
  beforeAll(async () => {
    dir = await tempDir();
  });
  if (options.restoreTool) {
    afterEach(async () => {
      await site('update-type', { typeid: moodle().details.typeid, tool: moodle().toolSettings });
    });
  }
  afterAll(async () => dir?.cleanup());
  return () => dir!.path;
}

/** A password file as a user would keep it (mode 0600). */
export async function passwordFile(dir: string, person: Person): Promise<string> {
  const path = join(dir, `${person.username}.password`);
  await writeFile(path, `${person.password}\n`, { mode: 0o600 });
  return path;
}

/** `simulate` acting as the tool against the real Moodle, for one of its tool types. */
export function asToolFlags(
  options: { clientId?: string; deploymentId?: string; cmid?: number; toolPort?: number; toolBaseUrl?: string } = {},
): string[] {
  const info = moodle();
  return [
    '--platform-url',
    info.wwwroot,
    '--client-id',
    options.clientId ?? info.details.clientid,
    '--deployment-id',
    options.deploymentId ?? info.details.deploymentid,
    '--cmid',
    String(options.cmid ?? info.cmid),
    '--tool-port',
    String(options.toolPort ?? info.toolPort),
    ...(options.toolBaseUrl ? ['--tool-base-url', options.toolBaseUrl] : []),
  ];
}

export async function serveTool(cwd: string, args: string[] = []): Promise<Served> {
  return startServe(['tool', '--port', String(moodle().toolPort), ...args], {
    cwd,
    env: { INSPERA_LTI_KEYS_DIR: moodle().keysDir },
  });
}

export { stopServe };

/** The six values as Moodle's "Tool configuration details" dialog shows them (label, then value, as copied). */
export function detailsText(details = moodle().details): string {
  return (
    [
      'Tool configuration details',
      'Platform ID',
      details.platformid,
      'Client ID',
      details.clientid,
      'Deployment ID',
      details.deploymentid,
      'Public keyset URL',
      details.publickeyseturl,
      'Access token URL',
      details.accesstokenurl,
      'Authentication request URL',
      details.authrequesturl,
    ].join('\n') + '\n'
  );
}

/** A connection to the real Moodle as an administrator makes it: `init` for the local tenant, `record` Moodle's six. */
export async function initAndRecord(work: string): Promise<void> {
  const info = moodle();
  const domain = `http://127.0.0.1:${info.toolPort}`;
  const init = await cli(['init', '--domain', domain, '--moodle-url', info.wwwroot, '--allow-insecure', '--yes'], work);
  if (init.code !== 0) throw new Error(`init exited ${init.code}: ${init.stderr}`);
  await writeFile(join(work, 'details.txt'), detailsText());
  const record = await cli(['record', '--from-file', join(work, 'details.txt'), '--allow-insecure'], work);
  if (record.code !== 0) throw new Error(`record exited ${record.code}: ${record.stderr}`);
}
