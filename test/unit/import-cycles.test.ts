import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * No module of src/ reaches itself again through its imports — static, type-only and lazy `import()` alike: a cycle
 * makes the order modules load in matter, and two rooms that import each other are one room.
 */
const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

function modules(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? modules(path) : name.endsWith('.ts') ? [path] : [];
  });
}

/** Static imports and re-exports of a relative path (type-only ones too), and lazy `import()` of one. */
const STATIC_IMPORT = /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"](\.{1,2}\/[^'"]+)['"]/;
const LAZY_IMPORT = /import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/;

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(new RegExp(`${STATIC_IMPORT.source}|${LAZY_IMPORT.source}`, 'g'))].map(
    (m) => m[1] ?? m[2]!,
  );
  return specs.map((spec) => resolve(dirname(file), spec).replace(/\.js$/, '.ts'));
}

/** Every cycle's modules (Tarjan's strongly connected components with more than one member, or a self-import). */
function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const stack: string[] = [];
  const on = new Set<string>();
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const found: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v))
        found.push(component.map((m) => relative(SRC, m)).sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return found;
}

/**
 * The rooms of src/, lowest first: a room imports only from rooms below it (and itself).
 * CONTRIBUTING.md, "Architecture".
 * The files at the top of src/ (errors, version, package-root) belong with util.
 */
const ROOMS = [
  'util',
  'core',
  'http',
  'lti',
  'inspera',
  'moodle',
  'config',
  'checks',
  'doctor',
  'fleet',
  'sim',
  'report',
  'cli',
];

function roomOf(file: string): string {
  const [first, ...rest] = relative(SRC, file).split('/');
  return rest.length ? first! : 'util';
}

describe('src/ has no import cycles', () => {
  it('every import points down the rooms, never up', () => {
    const upward = modules(SRC).flatMap((file) =>
      importsOf(file)
        .filter((target) => ROOMS.indexOf(roomOf(target)) > ROOMS.indexOf(roomOf(file)))
        .map((target) => `${relative(SRC, file)} → ${relative(SRC, target)}`),
    );
    expect(modules(SRC).every((file) => ROOMS.includes(roomOf(file)))).toBe(true);
    expect(upward).toEqual([]);
  });

  it('none, counting type-only and lazy imports', () => {
    const graph = new Map(modules(SRC).map((file) => [file, importsOf(file)]));
    expect(graph.size).toBeGreaterThan(100);
    expect(cycles(graph)).toEqual([]);
  });

  it('the reader sees every kind of import (a check that could not fail would be no check)', () => {
    const here = fileURLToPath(import.meta.url);
    const probe = join(dirname(here), 'import-cycles.test.ts');
    expect(importsOf(probe)).toEqual([]);
    const doctor = importsOf(join(SRC, 'cli/run/doctor.ts')).map((p) => relative(SRC, p));
    expect(doctor).toEqual(expect.arrayContaining(['config/load.ts', 'doctor/har/read.ts']));
  });
});
