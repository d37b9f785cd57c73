/**
 * A PostgreSQL 15 cluster of a test suite's own (Debian's postgresql-15), in a folder it owns, stopped by PID: the
 * real-Moodle suite keeps Moodle's database in one, the interop suite ltijs's.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chown, mkdir, readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const PG_BIN = '/usr/lib/postgresql/15/bin';
const asRoot = userInfo().uid === 0;

/** PostgreSQL refuses to run as root: run its tools as the postgres user then. */
export function pgCommand(tool: string, args: string[]): [string, string[]] {
  return asRoot ? ['runuser', ['-u', 'postgres', '--', join(PG_BIN, tool), ...args]] : [join(PG_BIN, tool), args];
}

export async function postgresIds(): Promise<[number, number]> {
  const { stdout } = await run('id', ['-u', 'postgres']);
  const { stdout: group } = await run('id', ['-g', 'postgres']);
  return [Number(stdout.trim()), Number(group.trim())];
}

/** A new cluster in `pgData` whose superuser is `user`, trusted on loopback. */
export async function initCluster(pgData: string, user: string): Promise<void> {
  await mkdir(pgData);
  if (asRoot) await chown(pgData, ...(await postgresIds()));
  await run(...pgCommand('initdb', ['-D', pgData, '-U', user, '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']));
}

/** Start it on 127.0.0.1:`port`, durability off (a test database). */
export async function startCluster(pgData: string, port: number): Promise<void> {
  await run(
    ...pgCommand('pg_ctl', [
      '-D',
      pgData,
      '-l',
      join(pgData, 'server.log'),
      '-w',
      '-o',
      `-p ${port} -k ${pgData} -c listen_addresses=127.0.0.1 ` +
        `-c fsync=off -c synchronous_commit=off -c full_page_writes=off`,
      'start',
    ]),
  );
}

export async function createDatabase(port: number, user: string, name: string): Promise<void> {
  await run(...pgCommand('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', user, name]));
}

/** Stop it; `immediate` kills it by PID should pg_ctl fail. */
export async function stopCluster(pgData: string, mode: 'fast' | 'immediate'): Promise<void> {
  const stopped = run(...pgCommand('pg_ctl', ['-D', pgData, '-m', mode, '-w', 'stop']));
  if (mode === 'fast') {
    await stopped;
    return;
  }
  await stopped.catch(async () => {
    const pid = Number((await readFile(join(pgData, 'postmaster.pid'), 'utf8').catch(() => '')).split('\n')[0]);
    if (pid)
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone */
      }
  });
}

/** For a process 'exit' handler, where nothing can wait: kill the postmaster. */
export function killClusterNow(pgData: string): void {
  try {
    process.kill(Number(readFileSync(join(pgData, 'postmaster.pid'), 'utf8').split('\n')[0]), 'SIGKILL');
  } catch {
    /* gone */
  }
}
