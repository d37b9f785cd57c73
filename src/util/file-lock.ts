import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { link, open, readdir, readFile, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';

/** Who holds a lock: enough to tell, from another process, whether it still runs. */
export interface LockOwner {
  pid: number;
  host: string;
  /** When the owner process started (ms since 1970): a reused pid belongs to a process started later. */
  started: number;
  /** The kernel's start time of the owner process (Linux /proc), when known: exact where `started` is a guess. */
  procStart?: string;
  /** This acquisition, so nobody removes a lock that is no longer the one they judged. */
  token: string;
  /** When the lock was taken (ms since 1970). */
  at: number;
}

export interface LockOptions {
  /** How long to wait for a live owner to finish. */
  waitMs: number;
  /** A lock of another host cannot be checked: it is taken over after this long. */
  foreignStaleMs?: number;
}

/**
 * A lock file that is no owner record (empty: a run of an earlier version killed between creating and writing it; or
 * garbage) is taken over once it is this old: writing a record takes microseconds.
 */
const UNREADABLE_STALE_MS = 1_000;
/** A lock to break a lock with is held for milliseconds; one older than this was left by a killed run. */
const BREAK_STALE_MS = 5_000;

/** Field 22 of /proc/<pid>/stat: the process's start time in clock ticks since boot (Linux only). */
function procStartOf(pid: number | 'self'): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

const self = (() => {
  const procStart = procStartOf('self');
  return {
    pid: process.pid,
    host: hostname(),
    started: Math.round(Date.now() - process.uptime() * 1000),
    ...(procStart ? { procStart } : {}),
  };
})();

function parseOwner(text: string): LockOwner | undefined {
  // Earlier versions wrote the bare pid of the owner on this host.
  if (/^\d+$/.test(text.trim())) return { pid: Number(text.trim()), host: self.host, started: 0, token: '', at: 0 };
  try {
    const value = JSON.parse(text) as Partial<LockOwner>;
    if (
      typeof value.pid === 'number' &&
      typeof value.host === 'string' &&
      typeof value.token === 'string' &&
      typeof value.at === 'number' &&
      typeof value.started === 'number'
    ) {
      return value as LockOwner;
    }
  } catch {
    // not an owner record
  }
  return undefined;
}

/** Whether the process that took a lock still runs (a live pid that is not a later process with the same number). */
function ownerAlive(owner: LockOwner, options: Pick<LockOptions, 'foreignStaleMs'> = {}): boolean {
  if (owner.host !== self.host) return Date.now() - owner.at < (options.foreignStaleMs ?? 10 * 60_000);
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const procStart = procStartOf(owner.pid);
  if (owner.procStart && procStart) return procStart === owner.procStart;
  return true;
}

async function readOwner(lock: string): Promise<{ text: string; owner?: LockOwner; ageMs: number } | undefined> {
  try {
    const [text, info] = await Promise.all([readFile(lock, 'utf8'), stat(lock)]);
    const owner = parseOwner(text);
    return { text, ageMs: Date.now() - info.mtimeMs, ...(owner ? { owner } : {}) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Remove a lock judged stale — only if it is still the one judged: breakers take turns (lock.break), and each reads
 * the lock again under that turn, so a lock taken meanwhile by a live run is never removed.
 */
async function breakStale(lock: string, judged: string): Promise<void> {
  const breaker = `${lock}.break`;
  try {
    await (await open(breaker, 'wx', 0o600)).close();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const age = await stat(breaker).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    if (age > BREAK_STALE_MS) await rm(breaker, { force: true });
    return;
  }
  try {
    const now = await readOwner(lock);
    if (now && now.text === judged) await rm(lock, { force: true });
  } finally {
    await rm(breaker, { force: true });
  }
}

/** Owner records of runs killed while taking the lock (lock.<pid>.<token>.tmp of a pid that is gone). */
async function removeDeadAsides(lock: string): Promise<void> {
  const prefix = `${basename(lock)}.`;
  const names = await readdir(dirname(lock)).catch(() => [] as string[]);
  for (const name of names) {
    const pid = name.startsWith(prefix) ? /^(\d+)\.[0-9a-f]{16}\.tmp$/.exec(name.slice(prefix.length))?.[1] : undefined;
    if (!pid) continue;
    let alive = true;
    try {
      process.kill(Number(pid), 0);
    } catch (error) {
      alive = (error as NodeJS.ErrnoException).code !== 'ESRCH';
    }
    if (!alive) await rm(join(dirname(lock), name), { force: true });
  }
}

/** Why a lock cannot be taken yet, for the message. */
function describeOwner(owner: LockOwner | undefined): string {
  if (!owner) return 'an unfinished lock file';
  return `pid ${owner.pid} on ${owner.host}, since ${new Date(owner.at).toISOString()}`;
}

/**
 * Take an exclusive lock on `lock`. The file appears whole or not at all (written aside, then hard-linked into place,
 * which fails if it exists), and names its owner; a lock whose owner no longer runs — killed, or on a machine that
 * restarted — is taken over. Resolves to a release function that removes the lock only while it is still ours.
 */
export async function acquireLock(lock: string, options: LockOptions): Promise<() => Promise<void>> {
  const owner: LockOwner = { ...self, token: randomBytes(8).toString('hex'), at: Date.now() };
  const text = JSON.stringify(owner);
  const aside = `${lock}.${owner.pid}.${owner.token}.tmp`;
  const until = Date.now() + options.waitMs;
  await (async () => {
    const handle = await open(aside, 'wx', 0o600);
    try {
      await handle.writeFile(text);
    } finally {
      await handle.close();
    }
  })();
  try {
    for (;;) {
      try {
        await link(aside, lock);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const held = await readOwner(lock);
      if (!held) continue;
      const stale = held.owner ? !ownerAlive(held.owner, options) : held.ageMs > UNREADABLE_STALE_MS;
      if (stale) {
        await breakStale(lock, held.text);
        await new Promise((r) => setTimeout(r, 2));
        continue;
      }
      if (Date.now() > until) throw new LockBusy(lock, describeOwner(held.owner));
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 40));
    }
  } finally {
    await rm(aside, { force: true });
  }
  await removeDeadAsides(lock);
  return async () => {
    const now = await readOwner(lock).catch(() => undefined);
    if (now?.text === text) await rm(lock, { force: true });
  };
}

/** The lock is held by a run that is still going. */
export class LockBusy extends Error {
  constructor(
    readonly lock: string,
    readonly owner: string,
  ) {
    super(`${lock} is held by ${owner}`);
  }
}
