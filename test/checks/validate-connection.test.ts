import { describe, expect, it } from 'vitest';
import { validateConnection } from '../../src/checks/validate/connection.js';
import { createProber } from '../../src/http/probe.js';
import { freePort } from '../../src/util/free-port.js';
import { demoConfig } from '../helpers/sim.js';

/**
 * validate's engine called without the CLI (issue 27): the one implementation validate, doctor --live and fleet
 * call. Against loopback ports where nothing listens, with a real prober.
 */
describe('validateConnection', () => {
  it('nothing answers: every networked check fails for the network, said once; --only keeps one side', async () => {
    const moodle = `http://127.0.0.1:${await freePort()}`;
    const config = demoConfig({
      allowInsecure: true,
      tool: { domain: `http://127.0.0.1:${await freePort()}` },
      platform: { platformId: moodle, clientId: 'EhdzqulqmXxNDkw', deploymentId: '3' },
    });
    const prober = createProber({ env: {} });
    try {
      const result = await validateConnection({ config, prober, timeoutMs: 1_000 });
      expect(result.reachedNothing).toBe(true);
      expect(result.results.some((r) => r.id.startsWith('platform.'))).toBe(true);
      const tool = await validateConnection({ config, prober, timeoutMs: 1_000, only: 'tool' });
      expect(tool.results.some((r) => r.id.startsWith('platform.'))).toBe(false);
      expect(tool.results.some((r) => r.id.startsWith('tool.'))).toBe(true);
    } finally {
      await prober.close();
    }
  });
});
