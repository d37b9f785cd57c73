import { randomBytes } from 'node:crypto';
import { open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { InsperaLtiError } from '../errors.js';

export interface WriteOptions {
  /** Replace an existing file whose content we did not read first. */
  force?: boolean;
  /** The content the caller read from this path earlier: the file may be replaced if it still holds exactly that. */
  expected?: string | undefined;
  /** File mode for a new file; key files and configs with inline keys use 0o600. */
  mode?: number;
  /** What the flag to force is called, for the message. */
  forceFlag?: string;
}

export interface WriteResult {
  path: string;
  /** `created`, `replaced` (a .bak was kept) or `unchanged` (same content already there). */
  outcome: 'created' | 'replaced' | 'unchanged';
  backup?: string;
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

const LOCK_WAIT_MS = 3_000;
const STALE_LOCK_MS = 30_000;

/** An exclusive lock on a path (path.lock, O_EXCL) held while a writer compares and replaces it; stale ones are broken. */
async function withLock<T>(path: string, work: () => Promise<T>): Promise<T> {
  const lock = `${path}.lock`;
  const until = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      const handle = await open(lock, 'wx', 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = await stat(lock).then((s) => Date.now() - s.mtimeMs, () => 0);
      const holder = Number(await readFile(lock, 'utf8').catch(() => ''));
      const alive = holder > 0 && (() => { try { process.kill(holder, 0); return true; } catch { return false; } })();
      if (age > STALE_LOCK_MS || (holder > 0 && !alive)) {
        await rm(lock, { force: true });
        continue;
      }
      if (Date.now() > until) {
        throw new InsperaLtiError('FILE_WRITE_FAILED', `${path} is being written by another inspera-lti (${lock} exists)`, 'wait for it to finish and run the command again');
      }
      await new Promise((r) => setTimeout(r, 25 + Math.random() * 50));
    }
  }
  try {
    return await work();
  } finally {
    await rm(lock, { force: true });
  }
}

/**
 * Our own temp files of this path (and its .bak) left behind by a run that was killed (kill -9, power loss). Called
 * under the path's lock, when no other writer of it is under way, so every one of them is stale.
 */
async function removeStaleTemps(path: string): Promise<void> {
  const prefix = `.${basename(path)}.`;
  const names = await readdir(dirname(path)).catch(() => [] as string[]);
  for (const name of names) {
    if (name.startsWith(prefix) && /\.[0-9a-f]{12}\.tmp$/.test(name)) await rm(join(dirname(path), name), { force: true });
  }
}

/** Write content to a new temp file beside path, synced to disk; returns its name. */
async function writeTemp(path: string, content: string, mode: number): Promise<string> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', mode);
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    return temp;
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * Write a file atomically (temp file in the same directory, fsync, rename), never silently replacing a different
 * file: an existing file is replaced only if it holds what the caller read before, or with force — and a `.bak` of
 * it is kept either way, itself written atomically. Writers of one path take turns (a lock), and each compares the
 * file with what it read while it holds the lock, so a concurrent change is detected, never lost.
 */
export async function writeFileAtomic(path: string, content: string, options: WriteOptions = {}): Promise<WriteResult> {
  const fail = (error: unknown): never => {
    if (error instanceof InsperaLtiError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new InsperaLtiError('FILE_WRITE_FAILED', `cannot write ${path} (${code ?? String(error)})`,
      code === 'ENOENT' ? 'the directory does not exist; create it first' : 'check that the directory exists and is writable');
  };
  return withLock(path, async () => {
    await removeStaleTemps(path);
    const existing = await readIfExists(path).catch((error: NodeJS.ErrnoException) => {
      throw new InsperaLtiError('FILE_WRITE_FAILED', `cannot read ${path} before replacing it (${error.code ?? error.message})`, 'check the file\'s permissions');
    });
    if (existing === content) return { path, outcome: 'unchanged' as const };
    if (existing !== undefined && !options.force && existing !== options.expected) {
      throw new InsperaLtiError('FILE_EXISTS', `${path} already exists with different content${options.expected !== undefined ? ' (it changed since it was read: another run wrote it)' : ''}`,
        `nothing was written; use ${options.forceFlag ?? '--force'} to replace it (a .bak copy is kept), or choose another file`);
    }
    let backup: string | undefined;
    const temp = await writeTemp(path, content, options.mode ?? 0o644).catch(fail);
    try {
      if (existing !== undefined) {
        // The .bak goes in by rename too: a crash leaves the old .bak or the new one, never an empty file.
        backup = `${path}.bak`;
        const bakTemp = await writeTemp(backup, existing, options.mode ?? 0o644);
        await rename(bakTemp, backup);
      }
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      fail(error);
    }
    return backup ? { path, outcome: 'replaced' as const, backup } : { path, outcome: 'created' as const };
  }).catch(fail);
}
