import { readFile } from 'node:fs/promises';
import { pattern } from '../helpers/pattern.js';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectNoStackTrace, runCli, tempDir } from '../helpers/cli.js';

/** A tenant or Moodle host that only looks like the real one is refused; a genuine IDN passes with --allow-idn. */
let dir: { path: string; cleanup: () => Promise<void> };
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await dir.cleanup();
});
const run = (args: string[]) => runCli(args, { cwd: dir.path });

describe('lookalike hosts', () => {
  it.each([
    [
      'init --domain, Cyrillic "і"',
      ['init', '--domain', 'unіversity.inspera.com', '--yes'],
      pattern(
        /^inspera-lti: --domain "unіversity\.inspera\.com": mixes Latin letters with Cyrillic .*"і" /,
        /\(U\+0456, Cyrillic, looks like "i"\) — it is xn--unversity-w9h\.inspera\.com on the wire/,
      ),
    ],
    [
      'init --moodle-url, Cyrillic "о"',
      ['init', '--domain', 'university.inspera.com', '--moodle-url', 'https://mооdle.example.edu', '--yes'],
      pattern(
        /^inspera-lti: --moodle-url "https:\/\/mооdle\.example\.edu": mixes Latin .* /,
        /xn--mdle-55da\.example\.edu on the wire/,
      ),
    ],
    [
      'record --platform-id, Greek "ο"',
      [
        'record',
        '--platform-id',
        'https://mοodle.example.edu',
        '--client-id',
        'EhdzqulqmXxNDkw',
        '--deployment-id',
        '3',
      ],
      /nothing was saved/,
    ],
    [
      'validate --domain, a dotless i',
      ['validate', '--domain', 'unıversity.inspera.com', '--platform-id', 'https://moodle.example.edu'],
      /^inspera-lti: --domain "unıversity\.inspera\.com": has letters that look like plain ones/,
    ],
  ])('%s: exit 2, nothing saved', async (_name, args, words) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expectNoStackTrace(result);
    expect(result.stderr + result.stdout).toMatch(words);
    await expect(readFile(join(dir.path, 'inspera-lti.yaml'), 'utf8')).rejects.toThrow();
  });

  it(
    'a genuine internationalised tenant with --allow-idn is saved, ' + 'and the config reads back without the flag',
    async () => {
      const refused = await run(['init', '--domain', 'bücher.inspera.com', '--yes']);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/--allow-idn/);
      const saved = await run(['init', '--domain', 'bücher.inspera.com', '--yes', '--allow-idn']);
      expect(saved.code).toBe(0);
      const yaml = await readFile(join(dir.path, 'inspera-lti.yaml'), 'utf8');
      expect(yaml).toMatch(/^allowIdn: true$/m);
      expect(yaml).toMatch(/domain: xn--bcher-kva\.inspera\.com/);
      const again = await run(['doctor', '--json']);
      expect(again.code).toBe(0);
      // A mix of Latin and Cyrillic is refused even then.
      expect((await run(['init', '--domain', 'unіversity.inspera.com', '--yes', '--allow-idn', '--force'])).code).toBe(
        2,
      );
    },
  );
});
