import { basename, isAbsolute, relative, resolve } from 'node:path';
import { DEFAULT_CONFIG_FILE, findConfigFile } from '../config/load.js';

/** The explicit config path: --config, else INSPERA_LTI_CONFIG. */
export function explicitConfigPath(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return flag ?? (env.INSPERA_LTI_CONFIG || undefined);
}

/** Where a command saves: the explicit path, else the config found here, else ./inspera-lti.yaml. */
export async function configSavePath(flag: string | undefined, cwd = process.cwd()): Promise<string> {
  const explicit = explicitConfigPath(flag);
  if (explicit) return resolve(cwd, explicit);
  const found = await findConfigFile(undefined, cwd);
  return found && !found.endsWith('package.json') ? found : resolve(cwd, DEFAULT_CONFIG_FILE);
}

/** A config's path as reports name it: relative to here when below it, else its file name (no home or user name). */
export function portablePath(path: string): string {
  const below = relative(process.cwd(), path);
  return below && !below.startsWith('..') && !isAbsolute(below) ? below : basename(path);
}
