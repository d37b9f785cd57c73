import type { CheckResult } from '../core/result.js';
import type { LaunchStage } from './launch-flow.js';
import type { SimulationResult } from './simulate.js';

const STAGES: Array<{ stage: LaunchStage; id: string; title: string }> = [
  { stage: 'login', id: 'flow.login', title: 'Log in to Moodle' },
  { stage: 'launch-page', id: 'flow.launch-page', title: 'Moodle login initiation form' },
  { stage: 'login-initiation', id: 'flow.login-initiation', title: 'Tool login initiation → auth.php' },
  { stage: 'authentication', id: 'flow.authentication', title: 'Moodle auth.php answers the id_token' },
  { stage: 'tool-launch', id: 'flow.tool-launch', title: 'Tool accepts the launch' },
];

/** What a run says in one line: the grade's verdict once the launch went through, else the launch's. */
export function runVerdict(result: Pick<SimulationResult, 'launch' | 'grade'>): string {
  return result.grade && result.launch.ok ? result.grade.verdict : result.launch.verdict;
}

/** A simulation as check results: one per flow stage, the tool's own checks, then the grade steps. */
export function simulationChecks(result: SimulationResult): CheckResult[] {
  const checks: CheckResult[] = [];
  const { launch } = result;
  const reached =
    launch.stage === 'done' || launch.stage === 'replay'
      ? STAGES.length
      : STAGES.findIndex((s) => s.stage === launch.stage);
  STAGES.forEach((stage, index) => {
    if (index < reached) checks.push({ id: stage.id, title: stage.title, status: 'pass', finding: 'ok' });
    // The failing stage carries the cause's fix, so a JUnit failure says what to change, not only what happened.
    else if (index === reached)
      checks.push({
        id: stage.id,
        title: stage.title,
        status: 'fail',
        finding: launch.verdict,
        ...(launch.cause ? { fix: launch.cause.fix } : {}),
      });
    else checks.push({ id: stage.id, title: stage.title, status: 'skip', finding: 'not reached' });
  });
  for (const r of launch.tool?.results ?? []) checks.push({ ...r, id: `tool.${r.id}` });
  if (launch.replay) {
    checks.push({
      id: 'flow.replay',
      title: 'Tool refuses a replayed id_token',
      status: launch.replay.ok ? 'fail' : 'pass',
      finding: launch.replay.ok
        ? 'the replay was accepted'
        : launch.replay.results
            .filter((r) => r.status === 'fail')
            .map((r) => r.finding)
            .join('; '),
    });
  }
  const grade = result.grade;
  if (grade) {
    const order = ['claim', 'token', 'score', 'readback'] as const;
    const stopped = grade.stage === 'done' ? order.length : order.indexOf(grade.stage);
    const titles = {
      claim: 'AGS claim with a lineitem',
      token: 'token.php grants the score scope',
      score: 'Score POST accepted',
      readback: 'Grade in the Moodle gradebook',
    };
    order.forEach((stage, index) => {
      if (stage === 'readback' && grade.readBack === undefined && grade.stage !== 'readback') {
        if (index <= stopped)
          checks.push({
            id: `grade.${stage}`,
            title: titles[stage],
            status: 'skip',
            finding: 'not readable from here',
          });
        return;
      }
      checks.push({
        id: `grade.${stage}`,
        title: titles[stage],
        status: index < stopped ? 'pass' : index === stopped ? 'fail' : 'skip',
        finding: index < stopped ? 'ok' : index === stopped ? grade.verdict : 'not reached',
      });
    });
  }
  return checks;
}
