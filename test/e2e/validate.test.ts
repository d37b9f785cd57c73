import type { ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoStackTrace, runCli, tempDir } from '../helpers/cli.js';
import { startPair } from '../helpers/serve.js';

const KEYS = fileURLToPath(new URL('../../fixtures/keys/', import.meta.url));
let dir: { path: string; cleanup: () => Promise<void> };
const children: ChildProcess[] = [];
let platformUrl: string;
let toolHost: string;
let hang: Server;
let hangHost: string;

beforeAll(async () => {
  dir = await tempDir();
  const { tool, platform } = await startPair({ env: { INSPERA_LTI_KEYS_DIR: KEYS } });
  children.push(tool.child, platform.child);
  toolHost = new URL(tool.info.listening).host;
  platformUrl = platform.info.listening;
  hang = createServer(() => {
    /* never answers */
  });
  await new Promise<void>((r) => hang.listen(0, '127.0.0.1', r));
  hangHost = `127.0.0.1:${(hang.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const child of children) child.kill('SIGTERM');
  hang.closeAllConnections();
  hang.close();
  await dir.cleanup();
});

const run = (args: string[]) => runCli(args, { cwd: dir.path, env: { INSPERA_LTI_KEYS_DIR: KEYS } });

describe('inspera-lti validate (built CLI against running servers)', () => {
  it('passes against `serve platform` and `serve tool`, one line per check and N/M passed', async () => {
    expect(
      (await run(['init', '--domain', `http://${toolHost}`, '--allow-insecure', '--moodle-url', platformUrl, '--yes']))
        .code,
    ).toBe(0);
    expect(
      (await run(['record', '--platform-id', platformUrl, '--client-id', 'EhdzqulqmXxNDkw', '--deployment-id', '3']))
        .code,
    ).toBe(0);
    const result = await run(['validate']);
    expectNoStackTrace(result);
    expect(result.stdout).toContain('✔ Moodle token endpoint knows the Client ID');
    expect(result.stdout).toMatch(/✔ 15\/16 passed, 1 warning in \d+\.\d s/);
    expect(result.code).toBe(0);
  });

  it('exits 1 with the fix under the failure; --json is one document', async () => {
    const result = await run(['validate', '--only', 'platform', '--client-id', 'NotRegistered12']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('✖ Moodle token endpoint knows the Client ID: token.php answered invalid_client');
    expect(result.stdout).toContain('→ fix in the recorded values (inspera-lti) › Site administration');
    const json = await run(['validate', '--json', '--only', 'tool']);
    const doc = JSON.parse(json.stdout);
    expect(doc.results.map((r: { id: string }) => r.id)).toEqual([
      'tool.urls',
      'tool.keyset',
      'tool.login-init',
      'tool.registration',
      'tool.repost',
      'tool.state-cookie',
      'tool.local-network',
      'tool.launch',
      'tool.clock',
    ]);
  });

  it('a hanging tenant is bounded by --timeout and named', async () => {
    const result = await run([
      'validate',
      '--only',
      'tool',
      '--domain',
      `http://${hangHost}`,
      '--timeout',
      '500',
      '--json',
    ]);
    expect(result.code).toBe(1);
    const doc = JSON.parse(result.stdout);
    expect(doc.results.find((r: { id: string }) => r.id === 'tool.keyset').finding).toContain(
      'did not answer within 0.5 s',
    );
  });

  it('bad usage: nothing to validate, or a timeout that is not a number', async () => {
    const empty = await tempDir();
    const nothing = await runCli(['validate'], { cwd: empty.path });
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('nothing to validate');
    await empty.cleanup();
    const bad = await run(['validate', '--timeout', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--timeout "soon"');
  });

  it('writes a JUnit report for CI', async () => {
    const result = await run([
      'validate',
      '--only',
      'platform',
      '--client-id',
      'NotRegistered12',
      '--reporter',
      'junit',
      '--output',
      'validate.xml',
    ]);
    expect(result.code).toBe(1);
    const xml = await readFile(join(dir.path, 'validate.xml'), 'utf8');
    expect(xml).toContain('<testsuite name="validate" tests="7" failures="1"');
    expect(xml).toContain('<failure message="token.php answered invalid_client');
    // The failure's text names the cause and the fix, not only the symptom (what a CI log shows).
    const failure = /<failure [^>]*>([^<]*)<\/failure>/.exec(xml)![1]!;
    expect(failure).toMatch(/\nCause: token\.php does not know the Client ID/);
    expect(failure).toMatch(/\nFix in /);
  });

  it('flags --insecure in the output', async () => {
    const result = await run(['validate', '--only', 'tool', '--insecure']);
    expect(result.stdout).toContain('--insecure: TLS certificates are NOT checked');
  });
});
