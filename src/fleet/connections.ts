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

/** The files a path names (itself, or the config files directly in a folder), or why it names none. */
async function filesOf(path: string): Promise<{ files: string[] } | { unreadable: string }> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      unreadable:
        code === 'ENOENT' || code === 'ENOTDIR'
          ? `${path}: no such file or folder — give config files, folders of them, or --list <file>`
          : `${path} cannot be read (${code ?? 'error'}) — check its permissions`,
    };
  }
  if (info.isFile()) return { files: [path] };
  if (!info.isDirectory())
    return {
      unreadable: `${path} is not a file or a folder (a pipe or device) — give config files or folders of them`,
    };
  try {
    const names = (await readdir(path)).filter((name) => CONFIG_FILE.test(name)).sort();
    return { files: names.map((name) => join(path, name)) };
  } catch (error) {
    return {
      unreadable:
        `${path}: the folder cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}) — ` +
        'check its permissions',
    };
  }
}

/** The identity of a connection: one Moodle tool (Platform ID and Client ID) with one tenant. */
function identity(config: Config): string | undefined {
  const { platformId, clientId } = config.platform;
  if (!platformId && !config.tool) return undefined;
  return [platformId?.trim().replace(/\/+$/, '') ?? '', clientId?.trim() ?? '', config.tool?.domain ?? ''].join(' ');
}

/** Every connection the paths name, each config read once; the same connection twice is checked once. */
export async function gatherConnections(paths: readonly string[], cwd = process.cwd()): Promise<Connection[]> {
  const named = await Promise.all(
    paths.map(async (p) => ({ path: resolve(cwd, p), found: await filesOf(resolve(cwd, p)) })),
  );
  const seen = new Map<string, string>();
  const connections: Connection[] = [];
  const files = new Set<string>();
  // A path that names no config fails on its own; the other connections are still checked.
  for (const { path, found } of named) {
    if ('unreadable' in found)
      connections.push({ name: relative(cwd, path) || path, path, unreadable: found.unreadable });
    else for (const file of found.files) files.add(file);
  }
  for (const path of files) {
    const name = relative(cwd, path) || path;
    try {
      const { config } = await loadConfig({ configPath: path, required: true });
      const key = identity(config);
      const first = key ? seen.get(key) : undefined;
      if (key && !first) seen.set(key, name);
      connections.push({ name, path, config, ...(first ? { duplicateOf: first } : {}) });
    } catch (error) {
      const why =
        error instanceof InsperaLtiError
          ? `${error.message}${error.hint ? ` — ${error.hint}` : ''}`
          : `${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
      connections.push({ name, path, unreadable: why });
    }
  }
  return connections;
}
