import { randomBytes } from 'node:crypto';
import { copyFile, open, readFile, rename, rm } from 'node:fs/promises';
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

/**
 * Write a file atomically (temp file in the same directory, fsync, rename), never silently replacing a different
 * file: an existing file is replaced only if it holds what the caller read before, or with force — and a `.bak` of
 * it is kept either way.
 */
export async function writeFileAtomic(path: string, content: string, options: WriteOptions = {}): Promise<WriteResult> {
  const existing = await readIfExists(path).catch((error: NodeJS.ErrnoException) => {
    throw new InsperaLtiError('FILE_WRITE_FAILED', `cannot read ${path} before replacing it (${error.code ?? error.message})`, 'check the file\'s permissions');
  });
  if (existing === content) return { path, outcome: 'unchanged' };
  if (existing !== undefined && !options.force && existing !== options.expected) {
    throw new InsperaLtiError('FILE_EXISTS', `${path} already exists with different content`,
      `nothing was written; use ${options.forceFlag ?? '--force'} to replace it (a .bak copy is kept), or choose another file`);
  }
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  let backup: string | undefined;
  try {
    const handle = await open(temp, 'wx', options.mode ?? 0o644);
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (existing !== undefined) {
      backup = `${path}.bak`;
      await copyFile(path, backup);
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    throw new InsperaLtiError('FILE_WRITE_FAILED', `cannot write ${path} (${code ?? String(error)})`,
      code === 'ENOENT' ? 'the directory does not exist; create it first' : 'check that the directory exists and is writable');
  }
  return backup ? { path, outcome: 'replaced', backup } : { path, outcome: 'created' };
}
