import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { compareExchanges, unexplained } from '../differential/compare.js';
import { embeddedTarget } from '../differential/embedded.js';
import { runExchanges, type Exchange } from '../differential/exchanges.js';
import { FIXTURE_PATH } from '../differential/fixture.js';

/** The differential without PHP: the embedded platform against the real Moodle's recorded, normalised answers. */
describe('the embedded platform against the recorded answers of the real Moodle', () => {
  it('answers every scripted exchange as Moodle 4.5.6 did (or as docs/moodle-versions.md explains)', async () => {
    const recorded = JSON.parse(await readFile(FIXTURE_PATH, 'utf8')) as { moodle: string; exchanges: Exchange[] };
    expect(recorded.moodle).toBe('4.5.6 (Build: 20250811)');
    const { target, platform } = await embeddedTarget();
    try {
      const differences = compareExchanges(recorded.exchanges, await runExchanges(target));
      const { unexpected, stale } = unexplained(differences);
      expect(stale, 'listed as known but no longer different').toEqual([]);
      expect(unexpected, `${unexpected.length} differences`).toEqual([]);
    } finally {
      await platform.close();
    }
  });
});
