import type { Config } from '../config/types.js';
import type { SigningKey } from '../lti/keys.js';
import type { MoodleRelease } from '../moodle/versions.js';
import { findScenario } from './scenarios.js';
import { simulate, type SimulationRequest, type SimulationResult } from './simulate.js';
import { storedToolDemo, type StoredToolDemo } from './stored-tool-demo.js';

/** The failures the demo reproduces, with their cause and fix. */
const DEMO_SCENARIOS = [
  'issuer-trailing-slash',
  'redirect-uri-not-registered',
  'lost-state-cookie',
  'tool-sends-repost',
];

export interface DemoRun {
  title: string;
  expectOk: boolean;
  result: SimulationResult;
  /** A healthy run passed, a failure scenario was reproduced (or does not apply to this release). */
  asExpected: boolean;
}

export interface DemoResult {
  runs: DemoRun[];
  stored: StoredToolDemo;
  /** doctor --moodle found the broken Redirection URI and init --apply repaired it. */
  storedOk: boolean;
  ok: boolean;
}

/**
 * The demo: both sides embedded — an instructor's launch, a candidate's launch and grade, the failures of
 * DEMO_SCENARIOS, and the stored tool found broken and repaired — run side by side.
 */
export async function playDemo(request: {
  config: Config;
  keys: { platform: SigningKey; tool: SigningKey };
  moodle: MoodleRelease;
}): Promise<DemoResult> {
  const { config, keys, moodle } = request;
  const base: SimulationRequest = { config, keys, overrides: { moodle } };
  const runs: Array<Omit<DemoRun, 'asExpected'>> = [];
  const [instructor, candidate] = await Promise.all([
    simulate({ ...base, persona: 'instructor' }),
    simulate({ ...base, persona: 'learner', grade: true, score: 0.85 }),
  ]);
  runs.push({ title: 'Instructor launch (Grace Hopper, teacher)', expectOk: true, result: instructor });
  runs.push({ title: 'Candidate launch and grade (Ada Lovelace, learner)', expectOk: true, result: candidate });
  const scenarios = await Promise.all(
    DEMO_SCENARIOS.map((name) => simulate({ ...base, scenario: findScenario(name)! })),
  );
  for (const result of scenarios) runs.push({ title: `Failure: ${result.scenario!.title}`, expectOk: false, result });
  const stored = await storedToolDemo(config, keys, moodle);
  const storedOk =
    stored.before.some((r) => r.status === 'fail' && r.cause?.id === 'redirect-uri') &&
    !stored.after.some((r) => r.status === 'fail');
  const behaved = (run: Omit<DemoRun, 'asExpected'>) =>
    run.expectOk ? run.result.ok : run.result.scenario?.reproduced === true || !!run.result.scenario?.doesNotApply;
  const played = runs.map((run) => ({ ...run, asExpected: behaved(run) }));
  return { runs: played, stored, storedOk, ok: played.every((r) => r.asExpected) && storedOk };
}
