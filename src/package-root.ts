import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: { root: string; version: string } | null | undefined;

/**
 * The installed package: its folder and version, from the package.json named inspera-lti found from this module
 * upwards (the code runs from src/ in tests and from a bundled chunk in dist/chunks/ when installed).
 */
export function installedPackage(): { root: string; version: string } | undefined {
  if (cached !== undefined) return cached ?? undefined;
  for (const relative of ['../package.json', '../../package.json', '../../../package.json']) {
    try {
      const url = new URL(relative, import.meta.url);
      const manifest = JSON.parse(readFileSync(url, 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'inspera-lti' && manifest.version)
        return (cached = { root: dirname(fileURLToPath(url)), version: manifest.version });
    } catch {
      // not at this level
    }
  }
  cached = null;
  return undefined;
}
