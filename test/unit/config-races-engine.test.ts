import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/load.js';
import { initTool } from '../../src/config/init-tool.js';
import { recordToolDetails } from '../../src/config/record-details.js';
import { parseTenant } from '../../src/inspera/domain.js';

/**
 * Concurrent writers through the engines (issue 27): many rounds of records and inits interleaving in one process,
 * each loading the config, then saving under the lock. test/e2e/config-races.test.ts runs fewer rounds as separate
 * processes.
 */
let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'config-races-'));
  file = join(dir, 'inspera-lti.yaml');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const clientId = (n: number) => `Client${String(n).padStart(9, '0')}`;

async function init(name: string): Promise<void> {
  const loaded = await loadConfig({ cwd: dir });
  await initTool({
    tenant: parseTenant('university.inspera.com'),
    name,
    allowInsecure: false,
    allowIdn: false,
    ...(loaded.filepath ? { before: { config: loaded.config, text: loaded.text } } : {}),
    save: { path: file, unreadable: false, force: true },
  });
}

async function record(n: number): Promise<void> {
  const result = await recordToolDetails({
    given: { platformId: 'https://moodle.example.edu', clientId: clientId(n), deploymentId: String(n) },
    loaded: await loadConfig({ cwd: dir }),
    allowInsecure: false,
    allowIdn: false,
    savePath: async () => file,
  });
  if (!result.ok) throw new Error(`record ${n} was refused`);
}

describe('concurrent writers: a run that says "saved" has its values in the file', () => {
  it('15 rounds of three records and three inits at once, each changing its own fields', async () => {
    let lost = 0;
    for (let round = 0; round < 15; round++) {
      await init('Base');
      await record(0);
      const runs = [
        ...[1, 2, 3].map((k) => ({
          kind: 'record',
          value: clientId(round * 10 + k),
          go: () => record(round * 10 + k),
        })),
        ...[1, 2, 3].map((k) => ({ kind: 'init', value: `Name${round}-${k}`, go: () => init(`Name${round}-${k}`) })),
      ];
      const results = await Promise.all(
        runs.map(async (r) => ({
          ...r,
          error: await r.go().then(
            () => undefined,
            (e: Error) => e,
          ),
        })),
      );
      lost += results.filter((x) => x.error).length;
      for (const r of results.filter((x) => x.error))
        expect(r.error!.message, `round ${round}`).toMatch(
          /changed since it was read|being written by another inspera-lti/,
        );
      const final = parse(await readFile(file, 'utf8')) as { tool: { name: string }; platform: { clientId: string } };
      const saved = (kind: string) => results.filter((r) => r.kind === kind && !r.error).map((r) => r.value);
      // Whichever saved last wrote on top of the others' saves: none of them can have vanished.
      if (saved('record').length) expect(saved('record'), `round ${round}`).toContain(final.platform.clientId);
      else expect(final.platform.clientId).toBe(clientId(0));
      if (saved('init').length) expect(saved('init'), `round ${round}`).toContain(final.tool.name);
      else expect(final.tool.name).toBe('Base');
    }
    // The runs did meet: some lost (a test of writers that never overlap would prove nothing).
    expect(lost).toBeGreaterThan(0);
  });
});
