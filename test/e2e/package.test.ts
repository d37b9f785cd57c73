import { execFile } from 'node:child_process';
import { readFile, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/cli.js';

/**
 * The package as `npm pack` makes it (issue 21, item 8), unpacked where a user's npm would put it: it carries its
 * licence and the built CLI, and runs with no build step. Its dependencies are this checkout's (tests stay offline).
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const exec = promisify(execFile);
let dir: { path: string; cleanup: () => Promise<void> };
let files: string[] = [];
let installed = '';

beforeAll(async () => {
  dir = await tempDir();
  // --ignore-scripts: `prepare` would rebuild dist/ under the tests running beside this one (npm test built it).
  const { stdout } = await exec('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir.path], {
    cwd: ROOT,
  });
  const [packed] = JSON.parse(stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  files = packed!.files.map((f) => f.path);
  await exec('tar', ['-xzf', join(dir.path, packed!.filename), '-C', dir.path]);
  installed = join(dir.path, 'package');
  await symlink(join(ROOT, 'node_modules'), join(installed, 'node_modules'), 'dir');
});
afterAll(async () => dir?.cleanup());

describe('the packed package', () => {
  it('holds the licence, the README, the built CLI and the troubleshooting guide, and no sources or tests', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'LICENSE',
        'README.md',
        'package.json',
        'bin/inspera-lti.js',
        'dist/main.js',
        'docs/troubleshooting.md',
        'docs/setup.md',
        'docs/ci.md',
      ]),
    );
    expect(files.filter((f) => /^(src|test|bench|fixtures|scripts)\//.test(f))).toEqual([]);
  });

  it('holds every page the README and the docs link to: a reader of the installed package finds them', async () => {
    const { readFile } = await import('node:fs/promises');
    const { dirname, join: joinPath, normalize } = await import('node:path');
    for (const page of files.filter((f) => f.endsWith('.md'))) {
      const text = (await readFile(joinPath(installed, page), 'utf8')).replace(/```[\s\S]*?```/g, '');
      for (const [, link] of text.matchAll(/\]\(([^)\s#]+)[^)\s]*\)/g)) {
        if (/^[a-z]+:/.test(link!)) continue;
        expect(files, `${page} links to ${link}`).toContain(normalize(joinPath(dirname(page), link!)));
      }
    }
  });

  it('runs as unpacked, with no build step and no warning: --version, and the demo passes', async () => {
    const env = { PATH: process.env.PATH, CI: '1', HOME: dir.path };
    const bin = join(installed, 'bin', 'inspera-lti.js');
    const version = await exec(process.execPath, [bin, '--version'], { cwd: dir.path, env });
    const { version: packaged } = JSON.parse(await readFile(join(installed, 'package.json'), 'utf8'));
    expect(version.stdout.trim()).toBe(packaged);
    expect(version.stderr).toBe('');
    const demo = await exec(process.execPath, [bin, 'demo', '--json'], { cwd: dir.path, env });
    expect(JSON.parse(demo.stdout).ok).toBe(true);
    expect(demo.stderr).not.toMatch(/warn/i);
  });
});
