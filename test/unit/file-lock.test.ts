import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/cli.js';

/**
 * Many short-lived processes take one lock in turns and exit at once after releasing it — the moment another may judge
 * the lock's last owner dead while a new owner already holds it. Each holder creates a marker file exclusively while it
 * holds the lock: two holders at once would collide on it.
 */
let dir: { path: string; cleanup: () => Promise<void> };
let script: string;
beforeAll(async () => {
  dir = await tempDir();
  const bundle = join(dir.path, 'file-lock.mjs');
  await build({
    entryPoints: ['src/util/file-lock.ts'],
    bundle: true,
    format: 'esm',
    platform: 'node',
    outfile: bundle,
    logLevel: 'silent',
  });
  script = `
    import { open, rm } from 'node:fs/promises';
    const { acquireLock } = await import(${JSON.stringify(bundle)});
    const [lock, marker] = process.argv.slice(1);
    const release = await acquireLock(lock, { waitMs: 20000 });
    try {
      await (await open(marker, 'wx')).close();
    } catch {
      console.log('TWO HOLDERS');
    }
    await new Promise((r) => setTimeout(r, Math.random() * 3));
    await rm(marker, { force: true });
    await release();
    process.exit(0);
  `;
});
afterAll(async () => dir.cleanup());

function holder(lock: string, marker: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, lock, marker], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('exit', () => resolve(out));
  });
}

describe('the file lock', () => {
  it('48 processes, 8 at a time, each exiting right after it releases: never two holders', async () => {
    const lock = join(dir.path, 'c.yaml.lock');
    const marker = join(dir.path, 'held');
    const outputs: string[] = [];
    for (let wave = 0; wave < 6; wave++)
      outputs.push(...(await Promise.all(Array.from({ length: 8 }, () => holder(lock, marker)))));
    expect(outputs.filter((o) => o !== '')).toEqual([]);
    expect((await readdir(dir.path)).filter((f) => f.startsWith('c.yaml.lock'))).toEqual([]);
  });
});
