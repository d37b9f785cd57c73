import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort, HarnessError } from '../helpers/harness.js';
import { initCluster, killClusterNow, PG_BIN, startCluster, stopCluster } from '../helpers/postgres.js';
import { LTIJS_DIR } from './ltijs.js';

declare module 'vitest' {
  export interface ProvidedContext {
    interop: { pgPort: number; keysDir: string };
  }
}

/**
 * One PostgreSQL cluster for the run (ltijs keeps its platforms, keys and tokens in a database), and one keys folder.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const missing = [
    ...(existsSync(join(PG_BIN, 'initdb')) ? [] : ['PostgreSQL 15 (apt-get install postgresql-15)']),
    ...(existsSync(join(LTIJS_DIR, 'node_modules', 'ltijs')) ? [] : ['ltijs (npm ci --prefix test/interop/ltijs)']),
  ];
  if (missing.length) {
    const error = new HarnessError(`missing: ${missing.join(' and ')}`);
    process.stderr.write(`\ninterop suite: ${error.message}\n\n`);
    throw error;
  }
  const root = await mkdtemp(join(tmpdir(), 'inspera-lti-interop-'));
  // The postgres user must reach its data folder inside.
  await chmod(root, 0o755);
  const pgData = join(root, 'pgdata');
  const onExit = () => killClusterNow(pgData);
  process.once('exit', onExit);
  await initCluster(pgData, 'ltijs');
  const pgPort = await freePort();
  await startCluster(pgData, pgPort);
  project.provide('interop', { pgPort, keysDir: join(root, 'keys') });
  return async () => {
    process.off('exit', onExit);
    await stopCluster(pgData, 'immediate');
    await rm(root, { recursive: true, force: true });
  };
}
