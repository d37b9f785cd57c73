import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { startServe, stopServe, type Served } from '../helpers/serve.js';

/** The HTML reports opened in a real browser (Debian's headless Chromium), read from the rendered DOM. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const KEYS = fileURLToPath(new URL('../../fixtures/keys/', import.meta.url));
const SHOTS = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));
let browser: Browser;
let dir: { path: string; cleanup: () => Promise<void> };
const served: Served[] = [];
const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  runCli(args, { cwd: dir.path, env: { INSPERA_LTI_KEYS_DIR: KEYS, ...env } });

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`);
  dir = await tempDir();
  await mkdir(SHOTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});
afterAll(async () => {
  await browser?.close();
  for (const s of served) await stopServe(s.child);
  await dir?.cleanup();
});

interface Rendered {
  lanes: string[];
  hops: Array<{ hop: string; state: string; text: string }>;
  failure: string | null;
  verdict: string;
  errors: string[];
  requests: string[];
}

async function open(file: string, name: string, colorScheme: 'light' | 'dark' = 'light'): Promise<Rendered> {
  const context = await browser.newContext({ colorScheme, viewport: { width: 1000, height: 1400 } });
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  const url = pathToFileURL(join(dir.path, file)).toString();
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => {
    if (r.url() !== url) requests.push(r.url());
  });
  await page.goto(url);
  // Runs in the page (the project's types have no DOM): the rendered document as a reader sees it.
  const rendered = await page.evaluate(() => {
    const doc = (
      globalThis as unknown as {
        document: {
          querySelectorAll(s: string): ArrayLike<El>;
          querySelector(s: string): El | null;
          getElementById(s: string): El | null;
        };
      }
    ).document;
    interface El {
      getAttribute(n: string): string | null;
      textContent: string | null;
    }
    return {
      lanes: Array.from(doc.querySelectorAll('svg .lane')).map((g) => g.getAttribute('data-lane') ?? ''),
      hops: Array.from(doc.querySelectorAll('svg .hop')).map((g) => ({
        hop: g.getAttribute('data-hop') ?? '',
        state: g.getAttribute('data-state') ?? '',
        text: g.textContent?.trim() ?? '',
      })),
      failure: doc.querySelector('.failure')?.textContent ?? null,
      verdict: doc.getElementById('verdict')?.textContent ?? '',
    };
  });
  await page.screenshot({ path: join(SHOTS, `${name}-${colorScheme}.png`), fullPage: true });
  await context.close();
  return { ...rendered, errors, requests };
}

describe('the HTML report in a real browser', () => {
  it(
    'an embedded launch that fails: three lanes, one arrow per hop, ' + 'the failing hop marked in red and in words',
    async () => {
      await run(['simulate', 'launch', '--scenario', 'lost-state-cookie', '--report', 'lost.html']);
      for (const scheme of ['light', 'dark'] as const) {
        const page = await open('lost.html', 'embedded-lost-state-cookie', scheme);
        expect(page.lanes).toEqual(['Browser', 'Moodle', 'Inspera']);
        expect(page.hops.map((h) => h.hop)).toEqual([
          'login',
          'activity',
          'launch',
          'login-init',
          'auth',
          'repost',
          'id-token',
          'tool-answer',
        ]);
        expect(page.hops.filter((h) => h.state === 'failed')).toEqual([
          expect.objectContaining({ hop: 'tool-answer', text: expect.stringMatching(/^✖ FAILED HERE: /) }),
        ]);
        expect(page.failure).toMatch(/✖ Failed at the tool's answer\..*Fix in Moodle/);
        expect(page.errors).toEqual([]);
        expect(page.requests).toEqual([]);
      }
    },
  );

  it('a grade run draws token.php, the score and the read-back; a provisioning run the NRPS fetch', async () => {
    await run(['simulate', 'grade', '--report', 'grade.html']);
    const grade = await open('grade.html', 'embedded-grade');
    expect(grade.hops.map((h) => h.hop).slice(-3)).toEqual(['token', 'score', 'read-back']);
    expect(grade.hops.every((h) => h.state === 'ok')).toBe(true);
    expect(grade.verdict).toMatch(/✔ Verdict: Moodle holds 80\/100/);
    await run(['simulate', 'launch', '--persona', 'instructor', '--report', 'nrps.html']);
    const nrps = await open('nrps.html', 'embedded-provisioning');
    expect(nrps.hops.map((h) => h.hop)).toContain('nrps');
    expect(grade.errors.concat(nrps.errors)).toEqual([]);
  });

  it('a capture (HAR) through doctor: hops the capture does not show are drawn as missing, not invented', async () => {
    await run(['simulate', 'launch', '--scenario', 'redirect-uri-not-registered', '--har', 'redirect.har']);
    const har = JSON.parse(await readFile(join(dir.path, 'redirect.har'), 'utf8')) as {
      log: { entries: Array<{ request: { url: string } }> };
    };
    // As a user saves it: from the click on the activity, without the login.
    har.log.entries = har.log.entries.filter((e) => !e.request.url.includes('/login/'));
    await (await import('node:fs/promises')).writeFile(join(dir.path, 'partial.har'), JSON.stringify(har));
    await run(['doctor', '--har', 'partial.har', '--report', 'ticket.html']);
    const page = await open('ticket.html', 'doctor-redirect-uri');
    expect(page.hops.find((h) => h.hop === 'login')).toMatchObject({
      state: 'missing',
      text: expect.stringContaining('not in the capture'),
    });
    expect(page.hops.filter((h) => h.state === 'failed').map((h) => h.hop)).toEqual(['auth']);
    expect(page.failure).toMatch(/Redirection URI/);
    expect(page.errors).toEqual([]);
    expect(page.requests).toEqual([]);
  });

  it('--platform-url runs and runs against an external tool are drawn too', async () => {
    const platform = await startServe(['platform'], { cwd: dir.path, env: { INSPERA_LTI_KEYS_DIR: KEYS } });
    served.push(platform);
    const d = platform.info.toolConfigurationDetails;
    await run(
      [
        'simulate',
        'launch',
        '--platform-url',
        d['Platform ID'],
        '--client-id',
        d['Client ID'],
        '--deployment-id',
        d['Deployment ID'],
        '--tool-port',
        new URL(platform.info.registeredTool.loginInitUrl).port || '0',
        '--username',
        'ada',
        '--report',
        'remote.html',
      ],
      { MOODLE_PASSWORD: 'any' },
    );
    const remote = await open('remote.html', 'platform-url');
    expect(remote.lanes).toEqual(['Browser', 'Moodle', 'Inspera']);
    expect(remote.hops.length).toBeGreaterThanOrEqual(7);
    const tool = await startServe(['tool', '--platform-id', 'http://127.0.0.1:1'], {
      cwd: dir.path,
      env: { INSPERA_LTI_KEYS_DIR: KEYS },
    });
    served.push(tool);
    const urls = tool.info.urls;
    await run([
      'simulate',
      'launch',
      '--tool-login-url',
      urls.loginInitUrl,
      '--tool-launch-url',
      urls.redirectUrls[0],
      '--tool-keyset-url',
      urls.keysetUrl,
      '--report',
      'external.html',
    ]);
    const external = await open('external.html', 'external-tool');
    // The running tool does not know this platform: it refuses the login initiation, and that hop is marked.
    expect(external.hops.filter((h) => h.state === 'failed').map((h) => h.hop)).toEqual(['login-init']);
    expect(remote.errors.concat(external.errors)).toEqual([]);
  });
});
