import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/util/atomic-write.js';
import { tempDir } from '../helpers/cli.js';

let dir: { path: string; cleanup: () => Promise<void> };
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => dir.cleanup());

describe('writeFileAtomic', () => {
  it(
    'two writers that read the same file: one saves, the other is ' + 'told the file changed (no lost update)',
    async () => {
      const path = join(dir.path, 'c.yaml');
      await writeFile(path, 'v: 0\n');
      const outcomes = await Promise.allSettled(
        [1, 2].map((n) => writeFileAtomic(path, `v: ${n}\n`, { expected: 'v: 0\n' })),
      );
      const saved = outcomes.filter((o) => o.status === 'fulfilled');
      const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(saved).toHaveLength(1);
      expect(refused).toHaveLength(1);
      expect(String(refused[0]!.reason.message)).toMatch(/changed since it was read: another run wrote it/);
      expect(await readFile(`${path}.bak`, 'utf8')).toBe('v: 0\n');
    },
  );
});
