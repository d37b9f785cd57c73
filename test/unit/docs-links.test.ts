import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The documentation's links lead somewhere (issue 31, point 2): every relative link names a file that exists, and
 * every #anchor a heading of that file (GitHub's anchors). Users have the package, not our workspace: no page cites
 * the developers' shared folder.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PAGES = ['README.md', 'CONTRIBUTING.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md'))].map(
  (f) => (f.includes('/') || f === 'README.md' || f === 'CONTRIBUTING.md' ? join(ROOT, f) : join(ROOT, 'docs', f)),
);

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');

function anchorsOf(file: string): Set<string> {
  const anchors = new Set<string>();
  let fenced = false;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const heading = !fenced && /^#{1,6} (.+)$/.exec(line);
    if (heading) anchors.add(slug(heading[1]!));
  }
  return anchors;
}

function linksOf(file: string): string[] {
  const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((l) => !/^[a-z]+:/.test(l));
}

describe('documentation links', () => {
  it.each(PAGES.map((p) => [relative(ROOT, p), p]))('%s: every relative link and anchor resolves', (_name, page) => {
    const broken: string[] = [];
    for (const link of linksOf(page)) {
      const [path, anchor] = link.split('#') as [string, string | undefined];
      const target = path ? join(dirname(page), path) : page;
      if (!existsSync(target)) broken.push(`${link}: no such file`);
      else if (anchor && target.endsWith('.md') && !anchorsOf(target).has(anchor))
        broken.push(`${link}: no heading with that anchor`);
    }
    expect(broken).toEqual([]);
    expect(readFileSync(page, 'utf8')).not.toMatch(/shared\/docs|\.\.\/shared\//);
  });

  it('the README is a short first screen per user, with the reference in docs/', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme.split('\n').length).toBeLessThan(200);
    for (const path of ['A Moodle administrator', 'A support desk', 'A CI engineer'])
      expect(readme).toContain(`### ${path}`);
  });
});
