import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BIN, runCli, tempDir } from '../helpers/cli.js';

let dir: { path: string; cleanup: () => Promise<void> };
beforeEach(async () => {
  dir = await tempDir();
  await runCli(['init', '--domain', 'university.inspera.com', '--yes'], { cwd: dir.path });
});
afterEach(async () => dir.cleanup());

const clientId = (n: number) => `Client${String(n).padStart(9, '0')}`;
const record = (n: number) => ['record', '--platform-id', 'https://moodle.example.edu', '--client-id', clientId(n), '--deployment-id', String(n)];

describe('config writes survive crashes and concurrent writers', () => {
  it('six records at once: each either saves on top of what it read, or says it lost; the file holds a winner\'s values', async () => {
    const results = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => runCli(record(n), { cwd: dir.path }).then((r) => ({ n, ...r }))));
    const saved = results.filter((r) => r.code === 0);
    const lost = results.filter((r) => r.code !== 0);
    expect(saved.length).toBeGreaterThanOrEqual(1);
    for (const r of lost) {
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/changed since it was read: another run wrote it|being written by another inspera-lti/);
    }
    const final = parse(await readFile(join(dir.path, 'inspera-lti.yaml'), 'utf8')) as { platform: { clientId: string; deploymentId: string } };
    expect(saved.map((r) => clientId(r.n))).toContain(final.platform.clientId);
    expect(final.platform.deploymentId).toBe(final.platform.clientId.replace(/^Client0*/, ''));
  });

  it('kill -9 at any moment of a record never corrupts the config or leaves an empty .bak; stale temp files are removed', async () => {
    for (let i = 0; i < 25; i++) {
      const child = spawn(process.execPath, [BIN, ...record(i + 1)], { cwd: dir.path, env: { PATH: process.env.PATH, CI: '1' }, stdio: 'ignore' });
      // Listen from the start: a quick record may finish before the kill, and its exit must not be missed.
      const exited = new Promise((r) => child.once('exit', r));
      await new Promise((r) => setTimeout(r, 40 + (i * 13) % 90));
      child.kill('SIGKILL');
      await exited;
      const text = await readFile(join(dir.path, 'inspera-lti.yaml'), 'utf8');
      expect(() => parse(text), `after kill ${i}`).not.toThrow();
      expect((parse(text) as { tool: { domain: string } }).tool.domain).toBe('university.inspera.com');
      const bak = await readFile(join(dir.path, 'inspera-lti.yaml.bak'), 'utf8').catch(() => undefined);
      if (bak !== undefined) expect(bak.length, `.bak after kill ${i}`).toBeGreaterThan(0);
    }
    // A later write cleans up after the killed ones (a lock left by a dead process is broken too).
    const last = await runCli(record(99), { cwd: dir.path });
    expect(last.code, last.stderr).toBe(0);
    expect((await readdir(dir.path)).filter((f) => f.endsWith('.tmp') || f.endsWith('.lock'))).toEqual([]);
  });
});
