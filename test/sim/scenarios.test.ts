import { describe, expect, it } from 'vitest';
import { SCENARIOS, findScenario } from '../../src/sim/scenarios.js';
import { simulate } from '../../src/sim/simulate.js';
import { FIXTURE_KEYS, demoConfig, fixtureKey } from '../helpers/sim.js';

const keys = { ...FIXTURE_KEYS, other: fixtureKey('other') };

describe('failure scenarios against the embedded platform and tool', () => {
  it('the healthy default launches and grades', async () => {
    const result = await simulate({ config: demoConfig(), keys, grade: true });
    expect(result.launch.verdict).toBe('launch accepted by the tool');
    expect(result.grade?.verdict).toBe('Moodle holds 80/100 for user 42 (the 8/10 posted, read back through AGS results)');
    expect(result.ok).toBe(true);
  });

  it.each(SCENARIOS.map((s) => [s.name]))('%s shows its symptom', async (name) => {
    const scenario = findScenario(name)!;
    const result = await simulate({ config: demoConfig(), keys, scenario });
    expect(result.scenario?.reproduced, `${name}: ${result.launch.verdict} / ${result.grade?.verdict}`).toBe(true);
  });
});

describe('what "Invalid request" means, read from the wire', () => {
  it('with the Moodle session on the request it names the redirect_uri the tool sent', async () => {
    const result = await simulate({ config: demoConfig(), keys, scenario: findScenario('redirect-uri-not-registered')! });
    expect(result.launch.verdict).toMatch(/^Moodle showed "Invalid request" at auth\.php \(HTTP 404\); nothing was posted back to the tool\. The Moodle session went with the request, so the likeliest cause is the redirect_uri the tool sent, https:\/\/university\.inspera\.com\/ltiprovider\/launch: it must be one line/);
  });
});
