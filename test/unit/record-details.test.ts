import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { recordToolDetails, type RecordRequest } from '../../src/config/record-details.js';

/** record's engine, called without the CLI (issue 27): check, repair when allowed, save keeping the rest. */
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'record-engine-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const GIVEN = { platformId: 'https://moodle.example.edu', clientId: 'EhdzqulqmXxNDkw', deploymentId: '3' };

async function request(given: RecordRequest['given'], extra: Partial<RecordRequest> = {}): Promise<RecordRequest> {
  const file = join(dir, 'inspera-lti.yaml');
  return {
    given,
    loaded: await loadConfig({ cwd: dir }),
    allowInsecure: false,
    allowIdn: false,
    savePath: async () => file,
    ...extra,
  };
}

describe('recordToolDetails', () => {
  it("saves the six values into the config in place, keeping the file's comments", async () => {
    const file = join(dir, 'inspera-lti.yaml');
    await writeFile(file, '# our Moodle\ntool:\n  domain: university.inspera.com\n');
    const result = await recordToolDetails(await request(GIVEN));
    expect(result.ok).toBe(true);
    expect(result.values.accessTokenUrl).toBe('https://moodle.example.edu/mod/lti/token.php');
    const text = await readFile(file, 'utf8');
    expect(text).toContain('# our Moodle');
    expect(text).toContain('clientId: EhdzqulqmXxNDkw');
  });

  it('copy damage alone: refused without the hook, repaired when it allows; a dry run writes nothing', async () => {
    const file = join(dir, 'inspera-lti.yaml');
    await writeFile(file, 'tool:\n  domain: university.inspera.com\n');
    const damaged = { ...GIVEN, platformId: 'https://moodle.example.edu/' };
    const refused = await recordToolDetails(await request(damaged));
    expect(refused).toMatchObject({ ok: false, onlyDamage: true, mistakes: 1, asked: false });
    const shown: number[] = [];
    const repaired = await recordToolDetails(await request(damaged, { dryRun: true }), {
      applyRepairs: async (repairs) => {
        shown.push(repairs.length);
        return true;
      },
    });
    expect(repaired.ok).toBe(true);
    expect(repaired.values.platformId).toBe('https://moodle.example.edu');
    expect(shown).toEqual([1]);
    expect(await readFile(file, 'utf8')).not.toContain('platformId');
  });
});
