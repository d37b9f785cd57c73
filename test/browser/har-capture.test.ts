import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { freePort } from '../../src/util/free-port.js';
import { startServe, stopServe, type Served } from '../helpers/serve.js';

/**
 * Captures made by Chromium, read by doctor (issue 23): Chromium logs in to `serve platform` and opens the activity;
 * the tool (`serve tool`) answers on another site (localhost against 127.0.0.1); Playwright records the HAR a user
 * would save from DevTools. What doctor says about cookies must be what the capture shows.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const KEYS = fileURLToPath(new URL('../../fixtures/keys/', import.meta.url));
let browser: Browser;
let dir: { path: string; cleanup: () => Promise<void> };
const served: Served[] = [];
const env = () => ({ INSPERA_LTI_KEYS_DIR: KEYS });

interface HarFile {
  log: {
    entries: Array<{
      request: { method: string; url: string; headers: Array<{ name: string; value: string }> };
      response: { status: number };
    }>;
  };
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`);
  dir = await tempDir();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'],
  });
});
afterAll(async () => {
  await browser?.close();
  for (const s of served) await stopServe(s.child);
  await dir?.cleanup();
});

/** A platform and a tool on two sites, registered with each other; Chromium launches ada; the saved capture. */
async function capture(container: 'existing-window' | 'embed'): Promise<{ file: string; har: HarFile }> {
  // The platform names the tool's address and the tool the platform's: the tool's port is taken first.
  const toolPort = String(await freePort());
  const platform = await startServe(
    [
      'platform',
      '--tool-login-url',
      `http://localhost:${toolPort}/ltiprovider/init`,
      '--tool-redirect-url',
      `http://localhost:${toolPort}/ltiprovider/launch`,
      '--tool-keyset-url',
      `http://localhost:${toolPort}/ICSXapi/metadata/PublicCertificates`,
      '--launch-container',
      container,
    ],
    { cwd: dir.path, env: env() },
  );
  served.push(platform);
  const ids = platform.info.toolConfigurationDetails;
  const site = await startServe(
    [
      'tool',
      '--port',
      toolPort,
      '--base-url',
      `http://localhost:${toolPort}`,
      '--platform-id',
      ids['Platform ID'],
      '--client-id',
      ids['Client ID'],
      '--deployment-id',
      ids['Deployment ID'],
    ],
    { cwd: dir.path, env: env() },
  );
  served.push(site);

  const file = join(dir.path, `${container}.har`);
  const context = await browser.newContext({ recordHar: { path: file } });
  const page = await context.newPage();
  const moodle = platform.info.listening as string;
  await page.goto(`${moodle}/login/index.php`);
  await page.fill('#username', 'ada');
  await page.fill('#password', 'any');
  await Promise.all([page.waitForURL(/\/my\/$/), page.click('#loginbtn')]);
  await page.goto(platform.info.activity);
  // The launch ends at the tool's POST /ltiprovider/launch, accepted or not.
  for (let i = 0; i < 100 && !/POST \/ltiprovider\/launch/.test(site.logs()); i++)
    await new Promise((r) => setTimeout(r, 50));
  await context.close();
  return { file, har: JSON.parse(await readFile(file, 'utf8')) as HarFile };
}

/** Whether Chromium sent MoodleSession with the request to auth.php, as the capture records it. */
function sessionWentToAuth(har: HarFile): boolean {
  const auth = har.log.entries.find((e) => e.request.url.includes('/mod/lti/auth.php'));
  expect(auth, 'the capture holds the request to auth.php').toBeDefined();
  const cookie = auth!.request.headers.find((h) => h.name.toLowerCase() === 'cookie')?.value ?? '';
  return /(^|;\s*)MoodleSession=/.test(cookie);
}

const toolAnswer = (har: HarFile) =>
  har.log.entries.find((e) => e.request.method === 'POST' && e.request.url.includes('/ltiprovider/launch'))?.response
    .status;

async function doctor(file: string) {
  const result = await runCli(['doctor', '--har', file, '--json'], { cwd: dir.path, env: env() });
  return { code: result.code, report: JSON.parse(result.stdout) as Record<string, any> };
}

describe("doctor reads captures Chromium made (the browser suite's Chromium)", () => {
  it('a launch in the same window: the session evidence is what Chromium sent; healthy', async () => {
    const { file, har } = await capture('existing-window');
    expect(toolAnswer(har)).toBe(200);
    const { code, report } = await doctor(file);
    const went = sessionWentToAuth(har);
    expect(report.timeline.join('\n')).toMatch(
      went ? /\(MoodleSession, .*\) went with the request to auth\.php/ : /did not go with the request to auth\.php/,
    );
    expect(code).toBe(0);
    expect(report.problems).toEqual([]);
  });

  it('a launch in an iframe: what went is read from the capture, and the fix follows it', async () => {
    const { file, har } = await capture('embed');
    const { code, report } = await doctor(file);
    const went = sessionWentToAuth(har);
    expect(report.timeline.join('\n')).toMatch(
      went ? /\(MoodleSession, .*\) went with the request to auth\.php/ : /did not go with the request to auth\.php/,
    );
    if (toolAnswer(har) === 200) {
      // A Chromium that lets the tool's SameSite=None cookie into the frame: nothing to diagnose.
      expect(code).toBe(0);
      return;
    }
    // Chromium kept the tool's state cookie out of the frame: the cause is the iframe, fixed by the container.
    expect(code).toBe(1);
    expect(report.problems[0].cause).toBe('state-cookie');
    expect(report.problems[0].fix).toMatchObject({ system: 'Moodle', field: 'Default launch container' });
    expect(report.problems.map((p: { cause: string }) => p.cause)).not.toContain('redirect-uri');
  });
});
