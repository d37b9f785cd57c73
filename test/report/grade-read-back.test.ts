import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { simulationReport } from '../../src/report/simulation.js';
import { simulationChecks } from '../../src/sim/results.js';
import { simulate } from '../../src/sim/simulate.js';
import { FIXTURE_KEYS, demoConfig, fixtureKey } from '../helpers/sim.js';

const keys = { ...FIXTURE_KEYS, other: fixtureKey('other') };
const plain = new Chalk({ level: 0 });

describe("simulate grade's read-back, as a person reads it", () => {
  it('a result Moodle holds without a score reads "no grade yet", never "(no grade)/?"', async () => {
    const result = await simulate({ config: demoConfig(), keys, grade: true });
    expect(result.grade?.readBack?.resultScore).toBe(80);
    // What the real Moodle's results answer holds for a person with a result row but no score yet.
    const ungraded = {
      ...result,
      grade: { ...result.grade!, readBack: { ...result.grade!.readBack!, resultScore: null } },
    };
    const lines = simulationReport('grade', ungraded, simulationChecks(ungraded), 1).human(plain);
    const readBack = lines.find((l) => l.includes('read back:'))!;
    expect(readBack).toMatch(/read back: Moodle holds no grade yet — GET /);
    expect(readBack).not.toMatch(/\(no grade\)|\/\?/);
    const graded = simulationReport('grade', result, simulationChecks(result), 1).human(plain);
    expect(graded.find((l) => l.includes('read back:'))).toMatch(/Moodle holds 80\/100/);
  });
});
