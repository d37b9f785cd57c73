import { readFileSync } from 'node:fs';

let cached: string | undefined;

/**
 * The package version from package.json, read once. Looked up from this module upwards because the code runs both
 * from src/ (tests) and from a bundled chunk in dist/chunks/.
 */
export function packageVersion(): string {
  if (cached) return cached;
  for (const relative of ['../package.json', '../../package.json', '../../../package.json']) {
    try {
      const manifest = JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'inspera-lti' && manifest.version) return (cached = manifest.version);
    } catch {
      // not at this level
    }
  }
  return (cached = '0.0.0');
}
