import { installedPackage } from './package-root.js';

/** The package version from package.json. */
export function packageVersion(): string {
  return installedPackage()?.version ?? '0.0.0';
}
