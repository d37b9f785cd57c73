import { randomBytes } from 'node:crypto';
import { open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { InsperaLtiError } from '../errors.js';
import { acquireLock, LockBusy } from './file-lock.js';

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

const LOCK_WAIT_MS = 5_000;

/** Writers of one path take turns (path.lock); a lock whose owner no longer runs is taken over. */
async function withLock<T>(path: string, work: () => Promise<T>): Promise<T> {
  const lock = `${path}.lock`;
  let release: () => Promise<void>;
  try {
    release = await acquireLock(lock, { waitMs: LOCK_WAIT_MS });
  } catch (error) {
    if (error instanceof LockBusy) {
      throw new InsperaLtiError(
        'FILE_WRITE_FAILED',
        `${path} is being written by another inspera-lti (${error.owner})`,
        'wait for it to finish and run the command again',
      );
    }
    throw error;
  }
  try {
    return await work();
  } finally {
    await release();
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
    if (name.startsWith(prefix) && /\.[0-9a-f]{12}\.tmp$/.test(name))
      await rm(join(dirname(path), name), { force: true });
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
    throw new InsperaLtiError(
      'FILE_WRITE_FAILED',
      `cannot write ${path} (${code ?? String(error)})`,
      code === 'ENOENT'
        ? 'the directory does not exist; create it first'
        : 'check that the directory exists and is writable',
    );
  };
  return withLock(path, async () => {
    await removeStaleTemps(path);
    const existing = await readIfExists(path).catch((error: NodeJS.ErrnoException) => {
      throw new InsperaLtiError(
        'FILE_WRITE_FAILED',
        `cannot read ${path} before replacing it (${error.code ?? error.message})`,
        "check the file's permissions",
      );
    });
    if (existing === content) return { path, outcome: 'unchanged' as const };
    if (existing !== undefined && !options.force && existing !== options.expected) {
      throw new InsperaLtiError(
        'FILE_EXISTS',
        `${path} already exists with different content` +
          (options.expected !== undefined ? ' (it changed since it was read: another run wrote it)' : ''),
        `nothing was written; use ${options.forceFlag ?? '--force'} ` +
          `to replace it (a .bak copy is kept), or choose ` +
          `another file`,
      );
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
