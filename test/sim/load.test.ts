import { describe, expect, it } from 'vitest';
import { runLoadInProcess } from '../../src/sim/load.js';
import { openSimulation } from '../../src/sim/simulate.js';
import { demoConfig, FIXTURE_KEYS } from '../helpers/sim.js';

describe('load mode in one thread', () => {
  it('takes turns with few learners without a grade colliding, and times the launches, not the set-up', async () => {
    const before = performance.timeOrigin + performance.now();
    // Four learners for 12 graded launches at concurrency 4: each is graded three times, each score in a later second.
    const raw = await runLoadInProcess({ config: demoConfig(), keys: FIXTURE_KEYS, grade: true }, 12, 4, {}, 4);
    const after = performance.timeOrigin + performance.now();
    expect(raw.failures).toEqual({});
    expect(raw.latencies).toHaveLength(12);
    expect(raw.firstStart).toBeGreaterThanOrEqual(before);
    expect(raw.lastEnd).toBeLessThanOrEqual(after);
    expect(raw.lastEnd).toBeGreaterThan(raw.firstStart);
    expect(raw.seconds).toBeCloseTo((raw.lastEnd - raw.firstStart) / 1000, 6);
  });

  it(
    'with more launches at once than learners, one learner launches ' +
      'in several sessions at once, none in the way of another',
    async () => {
      // Two learners, six launches at a time: each learner has three flows in flight, each needs a browser of its own.
      const raw = await runLoadInProcess({ config: demoConfig(), keys: FIXTURE_KEYS, grade: true }, 12, 6, {}, 2);
      expect(raw.failures).toEqual({});
      expect(raw.latencies).toHaveLength(12);
    },
  );

  it('with as many learners as launches, every launch is another person', async () => {
    const raw = await runLoadInProcess({ config: demoConfig(), keys: FIXTURE_KEYS, grade: true }, 6, 6, {}, 200);
    expect(raw.failures).toEqual({});
    expect(raw.latencies).toHaveLength(6);
  });

  it('one person graded many times: every score in a later second, none dated ahead of the clock', async () => {
    // Moodle 4.5 and 5.0 keep a score's own timestamp: one dated ahead would refuse the next ordinary grade (409).
    const session = await openSimulation({ config: demoConfig(), keys: FIXTURE_KEYS, grade: true });
    try {
      const runs = await Promise.all(Array.from({ length: 4 }, () => session.run({ user: 'ada', asPerson: true })));
      const afterwards = Date.now();
      expect(runs.map((r) => r.ok)).toEqual([true, true, true, true]);
      const stamps = session.environment.platform!.state.gradebook().map((g) => Date.parse(g.timestamp));
      expect(stamps.length).toBeGreaterThan(0);
      for (const stamp of stamps) expect(stamp).toBeLessThanOrEqual(afterwards);
      const posted = runs.map((r) => Date.parse(r.grade!.scores[0]!.score.timestamp)).sort((a, b) => a - b);
      for (let i = 1; i < posted.length; i++)
        expect(Math.floor(posted[i]! / 1000)).toBeGreaterThan(Math.floor(posted[i - 1]! / 1000));
      for (const stamp of posted) expect(stamp).toBeLessThanOrEqual(afterwards);
      // An ordinary run in the next second is not refused (it was, until the clock caught up with scores dated ahead).
      await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 5));
      const next = await session.run({ user: 'ada' });
      expect(next.grade?.ok, next.grade?.verdict).toBe(true);
    } finally {
      await session.close();
    }
  });
});
