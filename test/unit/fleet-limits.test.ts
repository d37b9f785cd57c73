import { describe, expect, it } from 'vitest';
import { HostLimits } from '../../src/fleet/limits.js';

describe('fleet limits', () => {
  it('never more than perHost connections at one host, nor more than the concurrency overall', async () => {
    const limits = new HostLimits(5, 2);
    const busy = new Map<string, number>();
    let overall = 0;
    const peaks = { host: 0, overall: 0 };
    const work = async (hosts: string[]) => {
      const release = await limits.take(hosts);
      overall++;
      for (const h of hosts) busy.set(h, (busy.get(h) ?? 0) + 1);
      peaks.overall = Math.max(peaks.overall, overall);
      peaks.host = Math.max(peaks.host, ...hosts.map((h) => busy.get(h)!));
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 10));
      overall--;
      for (const h of hosts) busy.set(h, busy.get(h)! - 1);
      release();
    };
    // Many connections sharing one Moodle, and many tenants: the shared Moodle is the bottleneck, not a deadlock.
    await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        work(i % 3 === 0 ? ['moodle.a', `tenant${i}`] : [`moodle${i}`, 'tenant.shared']),
      ),
    );
    expect(peaks.host).toBe(2);
    expect(peaks.overall).toBeLessThanOrEqual(5);
    expect(peaks.overall).toBeGreaterThan(2);
  });
});
