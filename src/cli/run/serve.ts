import { printable } from '../../util/printable.js';
import type { Environment } from '../../sim/environment.js';
import type { Output } from '../output.js';

export interface ServeFlags {
  moodleVersion?: string;
  port?: string;
  host?: string;
  issuer?: string;
  clientId?: string;
  deploymentId?: string;
  toolLoginUrl?: string;
  toolRedirectUrl?: string[];
  toolUrl?: string;
  toolKeysetUrl?: string;
  toolPublicKeyFile?: string;
  launchContainer?: string;
  courseTool?: boolean;
  stripAuthorization?: boolean;
  platformId?: string;
  authUrl?: string;
  tokenUrl?: string;
  keysetUrl?: string;
  leeway?: string;
  baseUrl?: string;
  scenario?: string;
  stateCookie?: string;
  json?: boolean;
  config?: string;
  color?: boolean;
}

/** Block until SIGINT/SIGTERM, then close the servers and resolve 0. */
export function untilStopped(environment: Environment, out: Output): Promise<number> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      out.log(`${signal}: stopping`);
      void environment.close().then(() => resolve(0));
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}

export function logger(out: Output) {
  return (side: 'platform' | 'tool', entry: { method: string; path: string; status: number; note?: string }) => {
    const s = out.style;
    const status = entry.status >= 400 ? s.red(String(entry.status)) : s.green(String(entry.status));
    const note = entry.note ? s.dim(` — ${printable(entry.note, 1000)}`) : '';
    out.log(
      `${new Date().toISOString()} ${side} ${entry.method} ` +
        `${printable(entry.path.split('?')[0]!, 300)} ${status}${note}`,
    );
  };
}
