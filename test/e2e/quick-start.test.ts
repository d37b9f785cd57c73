import { execFile } from 'node:child_process';
import { cp, mkdtemp, mkdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The quick start as a newcomer meets it (issue 31, point 1): in a clone, after the demo, the command the demo
 * suggests next works as printed. The clone is this repository's tracked files; node_modules is the one installed
 * here (linked: an install from the registry is what CI's own clean clone already proves).
 */
const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
let clone: string;

beforeAll(async () => {
  clone = await mkdtemp(join(tmpdir(), 'inspera-lti-clone-'));
  const { stdout } = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    maxBuffer: 16 * 1024 * 1024,
  });
  const files = stdout.split('\0').filter((f) => f && !f.startsWith('test/') && !f.startsWith('bench/'));
  for (const file of files) {
    await mkdir(dirname(join(clone, file)), { recursive: true });
    await cp(join(ROOT, file), join(clone, file)).catch(() => undefined);
  }
  await symlink(join(ROOT, 'node_modules'), join(clone, 'node_modules'));
  await run('npm', ['run', 'build'], { cwd: clone });
}, 60_000);
afterAll(() => rm(clone, { recursive: true, force: true }));

describe('after the quick start', () => {
  it("the demo's Next commands work as printed in the clone", async () => {
    const env = { ...process.env, NO_COLOR: '1', CI: 'true' };
    const demo = await run('npm', ['run', '--silent', 'demo'], { cwd: clone, env });
    const next = /Next: (.+?) for all \d+ failure scenarios, (.+?) to set up yours\./.exec(demo.stdout);
    expect(next, demo.stdout.slice(-400)).not.toBeNull();
    expect(next![1]).toBe('npx inspera-lti simulate launch --list-scenarios');
    const listed = await run('sh', ['-c', next![1]!], { cwd: clone, env });
    expect(listed.stdout).toContain('lost-state-cookie');
    const init = next![2]!.replace('<your tenant>', 'university.inspera.com');
    const made = await run('sh', ['-c', `${init} --yes`], { cwd: join(clone, 'docs'), env });
    expect(made.stdout).toContain('Redirection URI(s)');
  });
});
