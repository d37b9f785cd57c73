import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, expectNoStackTrace, runCli, tempDir } from '../helpers/cli.js';
import { expectInert, expectInertMarkdown, HOSTILE } from '../helpers/hostile.js';
import { startServe, stopServe } from '../helpers/serve.js';

/**
 * The corpus of hostile text (helpers/hostile.ts) fed to every command that shows outside text: a token, a HAR, a
 * keyset and discovery answer, a pasted dialog, a tool's login request (Moodle's own pages: moodle-write-guard).
 * Whatever reaches the terminal, a Markdown report or a JUnit file must show it as text.
 */
const KEYS = fileURLToPath(new URL('../../fixtures/keys/', import.meta.url));
let dir: { path: string; cleanup: () => Promise<void> };
let hostile: Server;
let origin: string;
const env = { INSPERA_LTI_KEYS_DIR: KEYS };
const run = (args: string[], input?: string): Promise<CliResult> =>
  runCli(args, { cwd: dir.path, env, ...(input !== undefined ? { input } : {}) });

beforeAll(async () => {
  dir = await tempDir();
  // A "Moodle" whose keyset and discovery answers carry the corpus.
  hostile = createServer((req, res) => {
    const json = (body: unknown) =>
      void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.url?.startsWith('/mod/lti/certs.php'))
      return json({ keys: [{ kty: 'RSA', alg: 'RS256', kid: HOSTILE, e: 'AQAB', n: HOSTILE, use: 'sig' }] });
    if (req.url?.includes('openid-configuration')) return json({ issuer: HOSTILE, version: HOSTILE });
    res.writeHead(404, { 'content-type': 'text/html' }).end(`<p>${HOSTILE}</p>`);
  });
  await new Promise<void>((r) => hostile.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`;
  expect((await run(['init', '--domain', 'university.inspera.com', '--yes'])).code).toBe(0);
  const recorded = await run([
    'record',
    '--platform-id',
    origin,
    '--client-id',
    'EhdzqulqmXxNDkw',
    '--deployment-id',
    '3',
    '--allow-insecure',
  ]);
  expect(recorded.code, recorded.stderr).toBe(0);
});
afterAll(async () => {
  hostile?.close();
  await dir.cleanup();
});

function token(): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const claim = 'https://purl.imsglobal.org/spec/lti/claim/';
  return [
    part({ alg: 'RS256', kid: HOSTILE, typ: 'JWT' }),
    part({
      iss: HOSTILE,
      aud: HOSTILE,
      sub: HOSTILE,
      iat: now,
      exp: now + 60,
      nonce: 'n',
      name: HOSTILE,
      [`${claim}deployment_id`]: HOSTILE,
      [`${claim}message_type`]: HOSTILE,
      [`${claim}version`]: '1.3.0',
      [`${claim}roles`]: [HOSTILE],
      [`${claim}target_link_uri`]: HOSTILE,
    }),
    'c2ln',
  ].join('.');
}

describe('hostile text stays text at every output', () => {
  it('doctor --token: the terminal, --json, the Markdown report and JUnit', async () => {
    await writeFile(join(dir.path, 'token.txt'), token());
    const human = await run(['doctor', '--token', 'token.txt', '--report', 'ticket.md']);
    expectNoStackTrace(human);
    expect(human.stdout).toContain('Key id: kid \\x1b]8;;https://evil.example/');
    expectInert(human.stdout + human.stderr, 'doctor --token');
    expectInertMarkdown(await readFile(join(dir.path, 'ticket.md'), 'utf8'), 'ticket.md');
    const junit = await run(['doctor', '--token', 'token.txt', '--reporter', 'junit']);
    expectInertMarkdown(junit.stdout, 'doctor --reporter junit');
    const json = await run(['doctor', '--token', 'token.txt', '--json']);
    // JSON escapes controls itself; the bidi override must not reach a terminal that prints it either.
    expect(() => JSON.parse(json.stdout)).not.toThrow();
    expectInert(json.stdout, 'doctor --json');
  });

  it('doctor --har: a capture whose redirect_uri and error page carry the corpus', async () => {
    const har = JSON.parse(
      await readFile(fileURLToPath(new URL('../../fixtures/har/chromium-redirect-uri.har', import.meta.url)), 'utf8'),
    );
    for (const entry of har.log.entries) {
      entry.request.url = entry.request.url.replace(
        /redirect_uri=[^&]*/,
        `redirect_uri=${encodeURIComponent(HOSTILE)}`,
      );
      for (const q of entry.request.queryString ?? []) if (q.name === 'redirect_uri') q.value = HOSTILE;
      if (entry.response.content?.text) entry.response.content.text += `<p>${HOSTILE}</p>`;
      entry.response.headers.push({ name: 'X-Note', value: HOSTILE });
    }
    await writeFile(join(dir.path, 'capture.har'), JSON.stringify(har));
    const result = await run(['doctor', '--har', 'capture.har', '--report', 'har.md']);
    expectNoStackTrace(result);
    expectInert(result.stdout + result.stderr, 'doctor --har');
    expectInertMarkdown(await readFile(join(dir.path, 'har.md'), 'utf8'), 'har.md');
  });

  it('validate and doctor --live: a keyset and discovery answer that carry the corpus', async () => {
    const validate = await run(['validate', '--only', 'platform', '--allow-insecure']);
    // It ran (a check failed), not refused as bad usage: an unknown flag would make this test pass for nothing.
    expect(validate.code, validate.stderr).toBe(1);
    expectNoStackTrace(validate);
    expectInert(validate.stdout + validate.stderr, 'validate');
    const live = await run(['doctor', '--live', '--report', 'live.md']);
    expectNoStackTrace(live);
    expectInert(live.stdout + live.stderr, 'doctor --live');
    const report = await readFile(join(dir.path, 'live.md'), 'utf8');
    expectInertMarkdown(report, 'live.md');
    // A report for a ticket names the config by its name, not by this machine's path to it.
    expect(report).toContain('config inspera-lti.yaml');
    expect(report).not.toContain(dir.path);
    const verbose = await run(['validate', '--only', 'platform', '--allow-insecure', '--verbose']);
    expect(verbose.code, verbose.stderr).toBe(1);
    expectInert(verbose.stdout + verbose.stderr, 'validate --verbose');
  });

  it('record: a pasted dialog that carries the corpus', async () => {
    const result = await run(
      ['record', '--from-file', '-', '--dry-run'],
      `Platform ID ${HOSTILE}\nClient ID ${HOSTILE}\nDeployment ID 3\n`,
    );
    expectNoStackTrace(result);
    expectInert(result.stdout + result.stderr, 'record');
  });

  it("serve tool's log: a login initiation whose issuer carries the corpus", async () => {
    const tool = await startServe(['tool'], { cwd: dir.path, env });
    try {
      await fetch(`${tool.info.urls.loginInitUrl}?iss=${encodeURIComponent(HOSTILE)}&login_hint=1`);
      await new Promise((r) => setTimeout(r, 200));
      expect(tool.logs()).toContain('400 unregistered platform');
      expectInert(tool.logs(), 'serve tool log');
    } finally {
      await stopServe(tool.child);
    }
  });
});
