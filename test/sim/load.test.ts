import { describe, expect, it } from 'vitest';
import { runLoadInProcess } from '../../src/sim/load.js';
import { demoConfig, FIXTURE_KEYS } from '../helpers/sim.js';

describe('load mode in one thread', () => {
  it('takes turns with few learners without a grade colliding, and times the launches, not the set-up', async () => {
    const before = performance.timeOrigin + performance.now();
    // Four learners for 24 graded launches at concurrency 4: each is graded six times, each score a second later.
    const raw = await runLoadInProcess({ config: demoConfig(), keys: FIXTURE_KEYS, grade: true }, 24, 4, {}, 4);
    const after = performance.timeOrigin + performance.now();
    expect(raw.failures).toEqual({});
    expect(raw.latencies).toHaveLength(24);
    expect(raw.firstStart).toBeGreaterThanOrEqual(before);
    expect(raw.lastEnd).toBeLessThanOrEqual(after);
    expect(raw.lastEnd).toBeGreaterThan(raw.firstStart);
    expect(raw.seconds).toBeCloseTo((raw.lastEnd - raw.firstStart) / 1000, 6);
  });

  it('with more launches at once than learners, one learner launches in several sessions at once, none in the way of another', async () => {
    // Two learners, six launches at a time: each learner has three flows in flight, each needs a browser of its own.
    const raw = await runLoadInProcess({ config: demoConfig(), keys: FIXTURE_KEYS, grade: true }, 24, 6, {}, 2);
    expect(raw.failures).toEqual({});
    expect(raw.latencies).toHaveLength(24);
  });

  it('with as many learners as launches, every launch is another person', async () => {
    const raw = await runLoadInProcess({ config: demoConfig(), keys: FIXTURE_KEYS, grade: true }, 6, 6, {}, 200);
    expect(raw.failures).toEqual({});
    expect(raw.latencies).toHaveLength(6);
  });
});
