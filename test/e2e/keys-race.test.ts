import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { startServe, stopServe } from '../helpers/serve.js';

let dir: { path: string; cleanup: () => Promise<void> };
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => dir.cleanup());

/** The keys folder after the runs: each key and its kid once, nothing half-made, no lock or temp file left. */
async function expectKeptKeys(keys: string, sides: string[]): Promise<void> {
  const names = (await readdir(keys)).sort();
  expect(names).toEqual(sides.flatMap((side) => [`${side}.pem`, `${side}.pem.kid`]).sort());
  for (const side of sides) {
    expect(await readFile(join(keys, `${side}.pem`), 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect((await readFile(join(keys, `${side}.pem.kid`), 'utf8')).trim()).not.toBe('');
  }
}

describe('runs that start together on a fresh machine share the keys they generate', () => {
  it('eight simulate launches at once, the keys folder empty: all pass, one key of each side kept', async () => {
    const keys = join(dir.path, 'not-yet', 'keys');
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        runCli(['simulate', 'launch', '--json'], { cwd: dir.path, env: { INSPERA_LTI_KEYS_DIR: keys } }),
      ),
    );
    for (const result of results) {
      expect(result.stderr).not.toMatch(/not writable|cannot keep/);
      expect(result.code, result.stderr).toBe(0);
    }
    await expectKeptKeys(keys, ['platform', 'tool']);
    // A later run reads the kept keys: the platform's keyset names the kid that was kept.
    const kid = (await readFile(join(keys, 'platform.pem.kid'), 'utf8')).trim();
    const again = await runCli(['simulate', 'launch', '--json'], {
      cwd: dir.path,
      env: { INSPERA_LTI_KEYS_DIR: keys },
    });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(kid);
  });

  it('serve platform and serve tool started together on an empty HOME both start, on the kept keys', async () => {
    const home = join(dir.path, 'home');
    const env = { HOME: home, INSPERA_LTI_KEYS_DIR: undefined, XDG_CONFIG_HOME: undefined };
    const [platform, tool] = await Promise.all([
      startServe(['platform', '--port', '0'], { cwd: dir.path, env }),
      startServe(['tool', '--port', '0'], { cwd: dir.path, env }),
    ]);
    try {
      const keysetOf = async (url: string) => (await (await fetch(url)).json()) as { keys: Array<{ kid: string }> };
      const kept = join(home, '.config', 'inspera-lti', 'keys');
      await expectKeptKeys(kept, ['platform', 'tool']);
      const platformKid = (await readFile(join(kept, 'platform.pem.kid'), 'utf8')).trim();
      const toolKid = (await readFile(join(kept, 'tool.pem.kid'), 'utf8')).trim();
      expect(
        (await keysetOf(platform.info.toolConfigurationDetails['Public keyset URL'])).keys.map((k) => k.kid),
      ).toContain(platformKid);
      expect((await keysetOf(tool.info.urls.keysetUrl)).keys.map((k) => k.kid)).toContain(toolKid);
    } finally {
      await Promise.all([stopServe(platform.child), stopServe(tool.child)]);
    }
  });
});
