import { existsSync, realpathSync } from 'node:fs';
import { delimiter, isAbsolute, join, relative } from 'node:path';
import { installedPackage } from '../package-root.js';

const realOr = (path: string) => {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
};

/**
 * How a person runs this CLI from where they are, so that a command it suggests works as printed: `inspera-lti` when
 * that name on PATH is this install (npm link, npm install -g); `npx inspera-lti` inside the package's own folder (a
 * clone after `npm install`); else node with the path of the bin.
 */
export function invocation(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  const root = installedPackage()?.root;
  if (!root) return 'inspera-lti';
  const bin = realOr(join(root, 'bin', 'inspera-lti.js'));
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, 'inspera-lti');
    if (existsSync(candidate) && realOr(candidate) === bin) return 'inspera-lti';
  }
  const fromRoot = relative(realOr(root), realOr(cwd));
  if (!fromRoot.startsWith('..') && !isAbsolute(fromRoot)) return 'npx inspera-lti';
  return `node ${bin}`;
}
