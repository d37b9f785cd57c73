import { readdir, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/types.js';
import { InsperaLtiError } from '../errors.js';

/** One connection of the fleet: a config file, read. */
export interface Connection {
  /** How the report names it: the path as given or found. */
  name: string;
  path: string;
  config?: Config;
  /** Why the config could not be read (the connection is then a failure of its own, the rest go on). */
  unreadable?: string;
  /** The connection this one repeats (the same Moodle, Client ID and tenant), checked once. */
  duplicateOf?: string;
}

const CONFIG_FILE = /^(inspera-lti\.(ya?ml|json)|\.inspera-ltirc(\.(ya?ml|json))?|.+\.(ya?ml|json))$/i;

/** The files a path names: itself, or the config files directly in a directory. */
async function filesOf(path: string): Promise<string[]> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch {
    throw new InsperaLtiError(
      'FILE_UNREADABLE',
      `${path}: no such file or directory`,
      'give config files, folders of them, or --list <file>',
    );
  }
  if (info.isFile()) return [path];
  if (!info.isDirectory())
    throw new InsperaLtiError(
      'FILE_UNREADABLE',
      `${path} is not a file or a folder`,
      'give config files or folders of them',
    );
  const names = (await readdir(path)).filter((name) => CONFIG_FILE.test(name)).sort();
  return names.map((name) => join(path, name));
}

/** The identity of a connection: one Moodle tool (Platform ID and Client ID) with one tenant. */
function identity(config: Config): string | undefined {
  const { platformId, clientId } = config.platform;
  if (!platformId && !config.tool) return undefined;
  return [platformId?.trim().replace(/\/+$/, '') ?? '', clientId?.trim() ?? '', config.tool?.domain ?? ''].join(' ');
}

/** Every connection the paths name, each config read once; the same connection twice is checked once. */
export async function gatherConnections(paths: readonly string[], cwd = process.cwd()): Promise<Connection[]> {
  const files = [...new Set((await Promise.all(paths.map((p) => filesOf(resolve(cwd, p))))).flat())];
  const seen = new Map<string, string>();
  const connections: Connection[] = [];
  for (const path of files) {
    const name = relative(cwd, path) || path;
    try {
      const { config } = await loadConfig({ configPath: path, required: true });
      const key = identity(config);
      const first = key ? seen.get(key) : undefined;
      if (key && !first) seen.set(key, name);
      connections.push({ name, path, config, ...(first ? { duplicateOf: first } : {}) });
    } catch (error) {
      if (!(error instanceof InsperaLtiError)) throw error;
      connections.push({ name, path, unreadable: `${error.message}${error.hint ? ` — ${error.hint}` : ''}` });
    }
  }
  return connections;
}
