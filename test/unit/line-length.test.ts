import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** The formatter wraps code at 120 columns but not strings, comments or patterns: this holds those to it too. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAX = 120;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules') return [];
    return statSync(path).isDirectory() ? sources(path) : /\.(ts|mjs|cjs)$/.test(name) ? [path] : [];
  });
}

describe('source lines', () => {
  it(`are at most ${MAX} characters`, () => {
    const files = ['src', 'test', 'bench', 'scripts'].flatMap((dir) => sources(join(ROOT, dir)));
    expect(files.length).toBeGreaterThan(200);
    const long = files.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, index) => ([...line].length > MAX ? [`${relative(ROOT, file)}:${index + 1}`] : [])),
    );
    expect(long).toEqual([]);
  });
});
