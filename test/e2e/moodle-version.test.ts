import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoStackTrace, runCli, tempDir } from '../helpers/cli.js';

/** --moodle-version as a user meets it (issue 20): the demo, the scenario list, and what is refused. */
const KEYS = fileURLToPath(new URL('../../fixtures/keys/', import.meta.url));
let dir: { path: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(async () => dir.cleanup());
const run = (args: string[]) => runCli(args, { cwd: dir.path, env: { INSPERA_LTI_KEYS_DIR: KEYS } });

describe('--moodle-version', () => {
  it('demo --moodle-version 5.1.5 reproduces the MDL-83526 failure with cause and fix', async () => {
    const result = await run(['demo', '--moodle-version', '5.1.5', '--json']);
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout);
    const repost = doc.summary.find(
      (s: { scenario: { name: string } | null }) => s.scenario?.name === 'tool-sends-repost',
    );
    expect(repost).toMatchObject({ asExpected: true, scenario: { reproduced: true, diagnosis: 'repost' } });
    // The demo's stored-tool part: doctor --moodle finds the broken Redirection URI, init --apply repairs it.
    expect(doc.storedTool).toMatchObject({ asExpected: true, changed: ['Redirection URI(s)'], after: [] });
    expect(doc.storedTool.found.join(' ')).toMatch(/without "https:\/\/university\.inspera\.com\/ltiprovider\/launch"/);
    const text = await run(['demo', '--moodle-version', '5.1.5']);
    expect(text.stdout).toContain('Moodle 5.1.5;');
    expect(text.stdout).toMatch(/cause: .*SameSite=Lax since MDL-83526/);
    expect(text.stdout).toMatch(/fix in Inspera: the tool must stop sending the repost field/);
  });

  it('on a release before MDL-83526 the same scenario does not apply, and says why', async () => {
    const demo = JSON.parse((await run(['demo', '--moodle-version', '4.5.6', '--json'])).stdout);
    const repost = demo.summary.find(
      (s: { scenario: { name: string } | null }) => s.scenario?.name === 'tool-sends-repost',
    );
    expect(repost.asExpected).toBe(true);
    expect(repost.scenario.doesNotApply).toMatch(/this run played Moodle 4\.5\.6, where it does not apply/);
    const expected = await run([
      'simulate',
      'launch',
      '--scenario',
      'tool-sends-repost',
      '--moodle-version',
      '4.5.6',
      '--expect',
      'reproduced',
    ]);
    expect(expected.code).toBe(1);
    expect(expected.stdout).toMatch(/Does not apply: it fails on Moodle 4\.5\.12, 5\.0\.8, 5\.1\.5, 5\.2\.1 and later/);
    expect(expected.stderr).toContain('--expect reproduced: it does not apply to this Moodle release (exit 1)');
  });

  it('--list-scenarios says which releases a scenario applies to', async () => {
    const list = await run(['simulate', 'launch', '--list-scenarios']);
    expect(list.stdout).toMatch(/tool-sends-repost .* — only on Moodle 4\.5\.12, 5\.0\.8, 5\.1\.5, 5\.2\.1 and later/);
    const json = JSON.parse((await run(['simulate', 'launch', '--list-scenarios', '--json'])).stdout);
    expect(json.find((s: { name: string }) => s.name === 'issuer-http').moodle).toBe('every release');
  });

  it('serve platform plays the release asked for', async () => {
    const { startServe, stopServe } = await import('../helpers/serve.js');
    const served = await startServe(['platform', '--moodle-version', '4.2'], {
      cwd: dir.path,
      env: { INSPERA_LTI_KEYS_DIR: KEYS },
    });
    try {
      expect(served.info.imitates).toBe('Moodle 4.2.1 (Build: 20230612)');
      const page = await fetch(`${served.info.listening}/login/index.php`);
      expect(page.headers.get('set-cookie')).not.toContain('HttpOnly');
    } finally {
      await stopServe(served.child);
    }
  });

  it('refuses a release it does not know, and a release for a Moodle that is not embedded (exit 2)', async () => {
    const unknown = await run(['simulate', 'launch', '--moodle-version', '3.9']);
    expectNoStackTrace(unknown);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /--moodle-version "3\.9": not a Moodle release the embedded platform imitates — give one of 4\.1, 4\.2/,
    );
    const own = await run(['simulate', 'launch', '--moodle-version', '4.5.6', '--platform-url', 'http://127.0.0.1:9']);
    expect(own.code).toBe(2);
    expect(own.stderr).toMatch(/--platform-url is your Moodle/);
  });
});
