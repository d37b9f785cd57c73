import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDoctor } from '../../src/doctor/doctor.js';
import { readHar } from '../../src/doctor/har/read.js';
import { launchHtml } from '../../src/report/html.js';
import { pictureFromDoctor, pictureFromSimulation } from '../../src/report/picture-from.js';
import { toHar } from '../../src/sim/har.js';
import { simulationChecks } from '../../src/sim/results.js';
import { SCENARIOS } from '../../src/sim/scenarios.js';
import { simulate } from '../../src/sim/simulate.js';
import { FIXTURE_KEYS, demoConfig, fixtureKey } from '../helpers/sim.js';

const keys = { ...FIXTURE_KEYS, other: fixtureKey('other') };
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'inspera-lti-hops-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** The hop an HTML report marks as failed, read from the document as a reader's tool would. */
const failedHops = (html: string) =>
  [...html.matchAll(/class="hop" data-hop="([a-z-]+)" data-state="failed"/g)].map((m) => m[1]);

describe('the HTML report marks the hop where each failure scenario fails', () => {
  it.each(SCENARIOS.filter((s) => s.kind === 'launch').map((s) => [s.name]))(
    '%s: the simulation and doctor on its capture mark the same hop',
    async (name) => {
      const scenario = SCENARIOS.find((s) => s.name === name)!;
      const config = demoConfig();
      const result = await simulate({ config, keys, scenario });
      const meta = { version: 'test', when: 'now' };
      const simulated = launchHtml(pictureFromSimulation('launch', result, simulationChecks(result)), meta);
      const har = join(dir, `${name}.har`);
      await writeFile(har, JSON.stringify(toHar(result.launch.steps)));
      const entries = await readHar(har);
      const diagnosis = await runDoctor({ config, configSource: 'test', har: { entries, source: har } });
      const doctored = launchHtml(pictureFromDoctor(diagnosis, entries), meta);
      if (result.ok) {
        // Launches that work but cost a feature (NRPS off, privacy): nothing is red.
        expect(failedHops(simulated)).toEqual([]);
        return;
      }
      expect(failedHops(simulated)).toHaveLength(1);
      expect(failedHops(doctored), `${name}: doctor's diagnosis ${diagnosis.verdict}`).toEqual(failedHops(simulated));
      expect(doctored).toMatch(/✖ Failed at /);
      // Redacted: no token, no cookie value.
      expect(doctored).not.toMatch(/eyJ[\w-]{10,}\.[\w-]{10,}\./);
      expect(simulated).not.toMatch(/eyJ[\w-]{10,}\.[\w-]{10,}\./);
    },
  );
});
