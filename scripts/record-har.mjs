#!/usr/bin/env node
// Record real browser captures (HAR) of launches between `serve platform` and `serve tool`, with headless Chromium,
// for doctor's fixtures. Not part of the build or the tests: it needs Debian's chromium and playwright-core
// (`apt-get install chromium && npm install --no-save playwright-core`). Usage: node scripts/record-har.mjs <out-dir>
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const { chromium } = await import('playwright-core');
const BIN = fileURLToPath(new URL('../bin/inspera-lti.js', import.meta.url));
const KEYS = fileURLToPath(new URL('../fixtures/keys/', import.meta.url));
const out = process.argv[2] ?? 'fixtures/har';
mkdirSync(out, { recursive: true });

function serve(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'serve', ...args, '--json'], {
      env: { ...process.env, INSPERA_LTI_KEYS_DIR: KEYS, CI: '1' },
    });
    let text = '';
    child.stdout.on('data', (d) => {
      text += d;
      try {
        resolve({ child, info: JSON.parse(text) });
      } catch {
        /* more to come */
      }
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}`)));
  });
}

async function record(name, platformArgs, options = {}) {
  // The tool on "localhost", Moodle on "127.0.0.1": two sites, so the browser applies its real cross-site rules.
  const tool = await serve([
    'tool',
    '--port',
    '18082',
    '--base-url',
    'http://localhost:18082',
    '--platform-id',
    'http://127.0.0.1:18081',
  ]);
  const toolBase = 'http://localhost:18082';
  const platform = await serve([
    'platform',
    '--port',
    '18081',
    '--tool-login-url',
    `${toolBase}/ltiprovider/init`,
    '--tool-keyset-url',
    `${toolBase}/ICSXapi/metadata/PublicCertificates`,
    ...platformArgs(toolBase),
  ]);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(options.browserArgs ?? []),
    ],
  });
  const context = await browser.newContext({ recordHar: { path: join(out, `${name}.har`), content: 'embed' } });
  const page = await context.newPage();
  await page.goto('http://127.0.0.1:18081/login/index.php');
  // Moodle's login form (with its logintoken); the embedded platform takes any non-empty password.
  await page.fill('#login input[name=username]', 'ada');
  await page.fill('#login input[name=password]', 'any-password');
  await Promise.all([page.waitForNavigation(), page.click('#loginbtn')]);
  // The activity page, as a user opens it: the launch container decides whether the tool runs in an iframe.
  await page.goto('http://127.0.0.1:18081/mod/lti/view.php?id=12');
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(800);
  const frame = page.frames().at(-1);
  console.log(name, '→', frame.url(), (await frame.textContent('body'))?.trim().slice(0, 80));
  await context.close();
  await browser.close();
  tool.child.kill('SIGTERM');
  platform.child.kill('SIGTERM');
}

await record('chromium-healthy', (toolBase) => [
  '--launch-container',
  'existing-window',
  '--tool-redirect-url',
  `${toolBase}/ltiprovider/launch`,
]);
await record('chromium-redirect-uri', (toolBase) => [
  '--launch-container',
  'existing-window',
  '--tool-redirect-url',
  `${toolBase}/ltiprovider/launch/`,
]);
// Embedded (iframe) launch in a browser that blocks third-party cookies: the tool's state cookie is lost (F.7).
await record(
  'chromium-iframe-blocked-cookies',
  (toolBase) => ['--launch-container', 'embed', '--tool-redirect-url', `${toolBase}/ltiprovider/launch`],
  { browserArgs: ['--test-third-party-cookie-phaseout'] },
);
