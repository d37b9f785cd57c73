import { spawn } from 'node:child_process';
import { readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
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
const record = (n: number) => [
  'record',
  '--platform-id',
  'https://moodle.example.edu',
  '--client-id',
  clientId(n),
  '--deployment-id',
  String(n),
];

describe('config writes survive crashes and concurrent writers', () => {
  it(
    'six records at once: each either saves on top of what it read, ' +
      "or says it lost; the file holds a winner's values",
    async () => {
      const results = await Promise.all(
        [1, 2, 3, 4, 5, 6].map((n) => runCli(record(n), { cwd: dir.path }).then((r) => ({ n, ...r }))),
      );
      const saved = results.filter((r) => r.code === 0);
      const lost = results.filter((r) => r.code !== 0);
      expect(saved.length).toBeGreaterThanOrEqual(1);
      for (const r of lost) {
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(
          /changed since it was read: another run wrote it|being written by another inspera-lti/,
        );
      }
      const final = parse(await readFile(join(dir.path, 'inspera-lti.yaml'), 'utf8')) as {
        platform: { clientId: string; deploymentId: string };
      };
      expect(saved.map((r) => clientId(r.n))).toContain(final.platform.clientId);
      expect(final.platform.deploymentId).toBe(final.platform.clientId.replace(/^Client0*/, ''));
    },
  );

  it(
    'kill -9 at any moment of a record never corrupts the config or ' +
      'leaves an empty .bak; stale temp files are removed',
    async () => {
      for (let i = 0; i < 25; i++) {
        const child = spawn(process.execPath, [BIN, ...record(i + 1)], {
          cwd: dir.path,
          env: { PATH: process.env.PATH, CI: '1' },
          stdio: 'ignore',
        });
        // Listen from the start: a quick record may finish before the kill, and its exit must not be missed.
        const exited = new Promise((r) => child.once('exit', r));
        await new Promise((r) => setTimeout(r, 40 + ((i * 13) % 90)));
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
    },
  );
});

describe('concurrent writers: a run that says "saved" has its values in the file', () => {
  it('4 rounds of three records and three inits at once as processes, each changing its own fields', async () => {
    const file = join(dir.path, 'inspera-lti.yaml');
    for (let round = 0; round < 4; round++) {
      await runCli(['init', '--domain', 'university.inspera.com', '--name', 'Base', '--yes', '--force'], {
        cwd: dir.path,
      });
      await runCli(record(0), { cwd: dir.path });
      const runs = [
        ...[1, 2, 3].map((k) => ({
          kind: 'record' as const,
          value: clientId(round * 10 + k),
          args: record(round * 10 + k),
        })),
        ...[1, 2, 3].map((k) => ({
          kind: 'init' as const,
          value: `Name${round}-${k}`,
          args: ['init', '--domain', 'university.inspera.com', '--name', `Name${round}-${k}`, '--yes', '--force'],
        })),
      ];
      const results = await Promise.all(
        runs.map(async (r) => ({ ...r, ...(await runCli(r.args, { cwd: dir.path })) })),
      );
      for (const r of results.filter((x) => x.code !== 0))
        expect(r.stderr, `round ${round}`).toMatch(/changed since it was read|being written by another inspera-lti/);
      const final = parse(await readFile(file, 'utf8')) as { tool: { name: string }; platform: { clientId: string } };
      const savedRecords = results.filter((r) => r.kind === 'record' && r.code === 0).map((r) => r.value);
      const savedInits = results.filter((r) => r.kind === 'init' && r.code === 0).map((r) => r.value);
      // Whichever saved last wrote on top of the others' saves: none of them can have vanished.
      if (savedRecords.length)
        expect(savedRecords, `round ${round}: Client ID ${final.platform.clientId}`).toContain(final.platform.clientId);
      else expect(final.platform.clientId).toBe(clientId(0));
      if (savedInits.length) expect(savedInits, `round ${round}: name ${final.tool.name}`).toContain(final.tool.name);
      else expect(final.tool.name).toBe('Base');
    }
    // Separate processes, as CI starts them; the many-round version runs on the engines in one process
    // (test/unit/config-races-engine.test.ts). What is checked is the file, not the speed.
  }, 120_000);
});

describe('a lock left by a killed run never blocks the next one', () => {
  const lockOf = () => join(dir.path, 'inspera-lti.yaml.lock');
  const deadPid = async () => {
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    await new Promise((r) => child.once('exit', r));
    return child.pid!;
  };
  const owner = (pid: number, extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      pid,
      host: hostname(),
      started: Date.now() - 1000,
      token: 'deadbeefdeadbeef',
      at: Date.now(),
      ...extra,
    });

  it.each([
    ['an empty lock file (killed before it wrote its owner)', async () => ''],
    ['the old format: a bare pid of a process that is gone', async () => String(await deadPid())],
    ['an owner record of a process that is gone', async () => owner(await deadPid())],
    [
      'an owner record whose pid now belongs to another process (started later)',
      async () => owner(process.pid, { procStart: '1' }),
    ],
  ])('%s: the next record takes it over at once', async (_name, content) => {
    await writeFile(lockOf(), await content());
    // Left seconds ago, as by a run killed just now (an empty lock is judged by its age: a record takes microseconds).
    const killedAt = new Date(Date.now() - 2_000);
    await utimes(lockOf(), killedAt, killedAt);
    const started = Date.now();
    const result = await runCli(record(7), { cwd: dir.path });
    expect(result.code, result.stderr).toBe(0);
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(
      (parse(await readFile(join(dir.path, 'inspera-lti.yaml'), 'utf8')) as { platform: { clientId: string } }).platform
        .clientId,
    ).toBe(clientId(7));
    expect((await readdir(dir.path)).filter((f) => f.includes('.lock'))).toEqual([]);
  });

  it('a lock held by a live run is waited for, then named with its owner', async () => {
    const procStart = (await readFile('/proc/self/stat', 'utf8').catch(() => '')).split(') ')[1]?.split(' ')[19];
    await writeFile(lockOf(), owner(process.pid, procStart ? { procStart } : {}));
    const result = await runCli(record(8), { cwd: dir.path });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      new RegExp(`being written by another inspera-lti \\(pid ${process.pid} on ${hostname()}, since `),
    );
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
