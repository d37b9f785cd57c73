import { validateConnection } from '../checks/validate/connection.js';
import type { CauseId } from '../core/causes.js';
import type { CheckResult, Fix } from '../core/result.js';
import { runDoctor, type DoctorResult } from '../doctor/doctor.js';
import type { Prober } from '../http/probe.js';
import type { Connection } from './connections.js';
import { HostLimits } from './limits.js';

export interface FleetOptions {
  /** Connections checked at once. */
  concurrency: number;
  /** Connections at once that talk to one host (a Moodle or a tenant shared by several). */
  perHost: number;
  /** Each request's timeout; a connection's checks run side by side, so one connection takes about as long. */
  timeoutMs: number;
  prober: Prober;
  onDone?: (done: number, total: number, result: ConnectionResult) => void;
}

/** One connection as the morning report shows it. */
export interface ConnectionResult {
  name: string;
  path: string;
  moodle: string | null;
  tenant: string | null;
  status: 'ok' | 'warn' | 'fail';
  verdict: string;
  cause: { id: CauseId; title: string; fix: Fix } | null;
  seconds: number;
  /** What the checks read off the answers, to compare with the next run: Moodle's version, the keysets' kids. */
  observed: Record<string, string>;
  results: CheckResult[];
  duplicateOf?: string;
  /** doctor's reading of the connection, for its own report page. */
  diagnosis?: DoctorResult;
}

function hostOf(url: string | undefined): string | undefined {
  try {
    return url ? new URL(url).host : undefined;
  } catch {
    return undefined;
  }
}

async function checkOne(connection: Connection, options: FleetOptions): Promise<ConnectionResult> {
  const config = connection.config!;
  const started = performance.now();
  const live = await validateConnection({ config, prober: options.prober, timeoutMs: options.timeoutMs });
  const diagnosis = await runDoctor({
    config,
    configSource: connection.name,
    live: live.results,
    ...(live.reachedNothing ? { reachedNothing: true } : {}),
  });
  const top = diagnosis.problems[0];
  const observed: Record<string, string> = {};
  for (const result of live.results) {
    for (const [key, value] of Object.entries(result.observed ?? {}))
      observed[key === 'kids' ? `${result.id}.kids` : key] = value;
  }
  return {
    name: connection.name,
    path: connection.path,
    moodle: config.platform.platformId ?? null,
    tenant: config.tool?.domain ?? null,
    // Warnings the config accepts on purpose (allowInsecure for a test tool) do not make a connection a warning.
    status: !diagnosis.ok ? 'fail' : diagnosis.problems.length ? 'warn' : 'ok',
    verdict: diagnosis.verdict,
    cause: top ? { id: top.cause.id, title: top.cause.title, fix: top.cause.fix } : null,
    seconds: Math.round(performance.now() - started) / 1000,
    observed,
    results: live.results,
    diagnosis,
  };
}

function unreadable(connection: Connection): ConnectionResult {
  return {
    name: connection.name,
    path: connection.path,
    moodle: null,
    tenant: null,
    status: 'fail',
    verdict: `the config could not be read: ${connection.unreadable}`,
    cause: null,
    seconds: 0,
    observed: {},
    results: [],
  };
}

/**
 * Check every connection live, a bounded number at once overall and per host, each within its own timeout: a slow
 * or hanging site holds up only the connections that use it. Results come back in the order the connections came.
 */
export async function runFleet(connections: readonly Connection[], options: FleetOptions): Promise<ConnectionResult[]> {
  const limits = new HostLimits(options.concurrency, options.perHost);
  const byName = new Map<string, Promise<ConnectionResult>>();
  let done = 0;
  const finish = (result: ConnectionResult) => {
    options.onDone?.(++done, connections.length, result);
    return result;
  };
  const originals = connections.map((connection) => {
    if (connection.unreadable !== undefined || connection.duplicateOf !== undefined) return undefined;
    const hosts = [hostOf(connection.config?.platform.platformId), connection.config?.tool?.domain].filter(
      (h): h is string => !!h,
    );
    const pending = (async () => {
      const release = await limits.take(hosts);
      try {
        return await checkOne(connection, options);
      } finally {
        release();
      }
    })();
    byName.set(connection.name, pending);
    return pending.then(finish);
  });
  return Promise.all(
    connections.map((connection, index) => {
      if (connection.unreadable !== undefined) return Promise.resolve(finish(unreadable(connection)));
      if (connection.duplicateOf !== undefined) {
        return byName
          .get(connection.duplicateOf)!
          .then((first) =>
            finish({ ...first, name: connection.name, path: connection.path, duplicateOf: connection.duplicateOf! }),
          );
      }
      return originals[index]!;
    }),
  );
}
