import { describe, expect, it } from 'vitest';
import { pattern } from '../helpers/pattern.js';
import { SCENARIOS, findScenario } from '../../src/sim/scenarios.js';
import type { LaunchOutcome } from '../../src/sim/launch-flow.js';
import { simulate } from '../../src/sim/simulate.js';
import { FIXTURE_KEYS, demoConfig, fixtureKey } from '../helpers/sim.js';

const keys = { ...FIXTURE_KEYS, other: fixtureKey('other') };

describe('failure scenarios against the embedded platform and tool', () => {
  it('the healthy default launches and grades', async () => {
    const result = await simulate({ config: demoConfig(), keys, grade: true });
    expect(result.launch.verdict).toBe('launch accepted by the tool');
    expect(result.grade?.verdict).toBe(
      'Moodle holds 80/100 for user 42 (the 8/10 posted, read back through AGS results)',
    );
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
    const result = await simulate({
      config: demoConfig(),
      keys,
      scenario: findScenario('redirect-uri-not-registered')!,
    });
    expect(result.launch.verdict).toMatch(
      pattern(
        /^Moodle showed "Invalid request" at auth\.php \(HTTP 404\); nothing was posted back to the /,
        /tool\. The Moodle session went with the request, so the likeliest cause is the redirect_uri /,
        /the tool sent, https:\/\/university\.inspera\.com\/ltiprovider\/launch: it must be one line/,
      ),
    );
  });
});

describe("a replay's verdict", () => {
  const replay = findScenario('nonce-replay')!;
  const launch = (ok: boolean, refused: boolean): LaunchOutcome => ({
    ok,
    stage: ok ? 'done' : 'tool-launch',
    verdict: '',
    steps: [],
    results: [],
    replayAnswer: { status: refused ? 401 : 200, refused },
  });

  it('is "reproduced" only when the tool took the launch and refused the second post', () => {
    expect(replay.reproduced({ launch: launch(true, true) })).toBe(true);
    expect(replay.reproduced({ launch: launch(true, false) })).toBe(false);
    // A tool that refuses every launch refuses the replay too: that shows nothing about replays.
    expect(replay.reproduced({ launch: launch(false, true) })).toBe(false);
  });
});

describe('the side each scenario says it changes', () => {
  // The tweaks the embedded tool's own requests read (Inspera's side); the others are the browser's.
  const TOOL_TWEAKS = new Set([
    'gradeScopes',
    'olderSecondScore',
    'rotatedToolKey',
    'scoreUrlAfterQuery',
    'scoreUserId',
    'gradingProgress',
  ]);

  it.each(SCENARIOS.map((s) => [s.name]))('%s: what its apply() touches', async (name) => {
    const { planEnvironment } = await import('../../src/sim/environment.js');
    const scenario = findScenario(name)!;
    const plan = planEnvironment(demoConfig(), FIXTURE_KEYS);
    const before = { platform: JSON.stringify(plan.platform), tool: JSON.stringify(plan.tool) };
    const tweaks: Record<string, unknown> = {};
    scenario.apply(plan, tweaks);
    const touched: string[] = [];
    if (JSON.stringify(plan.platform) !== before.platform) touched.push('Moodle');
    if (JSON.stringify(plan.tool) !== before.tool || Object.keys(tweaks).some((t) => TOOL_TWEAKS.has(t)))
      touched.push('Inspera');
    expect(touched).toEqual(scenario.changes);
  });
});
