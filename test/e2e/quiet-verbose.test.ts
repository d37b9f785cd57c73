import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoStackTrace, runCli, tempDir } from '../helpers/cli.js';
import { startPair } from '../helpers/serve.js';

const KEYS = fileURLToPath(new URL('../../fixtures/keys/', import.meta.url));
let dir: { path: string; cleanup: () => Promise<void> };
const children: ChildProcess[] = [];
let platformUrl: string;

const run = (args: string[], input?: string) =>
  runCli(args, { cwd: dir.path, env: { INSPERA_LTI_KEYS_DIR: KEYS }, ...(input !== undefined ? { input } : {}) });

beforeAll(async () => {
  dir = await tempDir();
  const { tool, platform } = await startPair({ env: { INSPERA_LTI_KEYS_DIR: KEYS } });
  children.push(tool.child, platform.child);
  platformUrl = platform.info.listening;
  const toolHost = new URL(tool.info.listening).host;
  await run(['init', '--domain', `http://${toolHost}`, '--allow-insecure', '--moodle-url', platformUrl, '--yes']);
  await run(['record', '--platform-id', platformUrl, '--client-id', 'EhdzqulqmXxNDkw', '--deployment-id', '3']);
});
afterAll(async () => {
  for (const child of children) child.kill('SIGTERM');
  await dir.cleanup();
});

/** No secret in what --verbose logged: no JWT, no cookie or password value. */
function expectRedacted(text: string): void {
  expect(text).not.toMatch(/eyJ[\w-]{5,}\.[\w-]{5,}\./);
  expect(text).not.toMatch(/MoodleSession[^=\s]*=(?!\[redacted\])/);
  expect(text).not.toMatch(/password=(?!\[redacted\])/);
}

describe('--quiet: the verdict and what failed', () => {
  it('validate says one line when everything passed', async () => {
    const result = await run(['validate', '--quiet']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toEqual([expect.stringMatching(/^✔ 15\/16 passed, 1 warning in /)]);
  });

  it('doctor says the failing cause and the verdict, not what passed', async () => {
    const loud = await run(['doctor', '--error', 'MISSING_VALIDATION_COOKIE']);
    const quiet = await run(['doctor', '--error', 'MISSING_VALIDATION_COOKIE', '--quiet']);
    expect(quiet.code).toBe(loud.code);
    expect(loud.stdout).toContain('Checks that passed');
    expect(quiet.stdout).not.toContain('Checks that passed');
    expect(quiet.stdout).toMatch(/^Diagnosis, most likely first\n {2}1\. ✖ /);
    expect(quiet.stdout.trim().split('\n').at(-1)).toMatch(/^✖ Verdict: /);
  });

  it('simulate says the failing checks and the verdict', async () => {
    const ok = await run(['simulate', 'launch', '--quiet']);
    expect(ok.code).toBe(0);
    expect(ok.stdout.trim().split('\n')).toEqual([expect.stringMatching(/^✔ Verdict: /)]);
    const failed = await run(['simulate', 'launch', '--quiet', '--scenario', 'wrong-client-id']);
    expect(failed.code).toBe(1);
    const lines = failed.stdout.trim().split('\n');
    expect(lines.at(-1)).toMatch(/^✖ Verdict: /);
    expect(lines.slice(0, -1).join('\n')).toMatch(/✖ /);
    expect(failed.stdout).not.toMatch(/✔/);
  });

  it('record prints nothing for values that passed, and still says where it saved', async () => {
    const result = await run(
      ['record', '--quiet', '--from-file', '-'],
      `Client ID: EhdzqulqmXxNDkw\nPlatform ID: ${platformUrl}\nDeployment ID: 3\n`,
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/already holds these values|saved to/);
    expect(result.stderr).not.toContain('next:');
  });

  it('is refused with --verbose, --json or a report format it would not shorten', async () => {
    for (const args of [
      ['validate', '--quiet', '--verbose'],
      ['validate', '--quiet', '--json'],
      ['doctor', '--quiet', '--reporter', 'junit', '--error', 'x'],
    ]) {
      const result = await run(args);
      expectNoStackTrace(result);
      expect(result.code, args.join(' ')).toBe(2);
    }
  });
});

describe('--verbose: every request and answer, redacted, on stderr', () => {
  it('validate logs each probe with its answer; stdout is the same report', async () => {
    const plain = await run(['validate']);
    const verbose = await run(['validate', '--verbose']);
    expect(verbose.code).toBe(0);
    // The same report, but for what two runs measure differently: the time taken and the clocks' skew.
    const steady = (text: string) =>
      text
        .replace(/in \d+\.\d s/, '')
        .replace(/clock is (in step with|\d+ s (behind|ahead of)) this machine/g, 'clock');
    expect(steady(verbose.stdout)).toBe(steady(plain.stdout));
    expect(verbose.stderr).toContain(`→ GET ${platformUrl}/mod/lti/certs.php`);
    expect(verbose.stderr).toMatch(/← 200 OK in \d+ ms\n(?: {6}.*\n)*? {6}content-type: application\/json/);
    expect(verbose.stderr).toMatch(/client_assertion=\[token redacted\]&/);
    expectRedacted(verbose.stderr);
  });

  it('simulate logs the launch hop by hop (login, auth.php, the id_token post), secrets redacted', async () => {
    const result = await run(['simulate', 'launch', '--verbose']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/→ POST \S+\/login\/index\.php\n/);
    expect(result.stderr).toMatch(/→ GET \S+\/mod\/lti\/auth\.php\?/);
    expect(result.stderr).toMatch(/id_token=\[token redacted\]/);
    expect(result.stderr).toMatch(/set-cookie: MoodleSession\w*=\[redacted\]/i);
    expectRedacted(result.stderr);
    const load = await run(['simulate', 'launch', '--verbose', '--count', '5']);
    expect(load.code).toBe(2);
  });

  it('record says where each value came from', async () => {
    const text = ['Plattform-ID: ' + platformUrl, 'Klient-ID: EhdzqulqmXxNDkw', 'Distribusjons-ID: 3'].join('\n');
    const result = await run(['record', '--verbose', '--from-file', '-'], text);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("Platform ID: from standard input line 1, by the value's shape");
    expect(result.stderr).toContain('Client ID: from standard input line 2, by its place in the dialog');
    expect(result.stderr).toContain('Public keyset URL: derived from the Platform ID, as Moodle derives it');
  });
});
