import { fillFix } from '../core/fix-text.js';
import { randomBytes } from 'node:crypto';
import { InsperaLtiError } from '../errors.js';
import { parseSetCookie } from '../http/set-cookie.js';
import { planEnvironment, startEnvironment, type Environment, type EnvironmentPlan } from './environment.js';
import type { TokenAnswer } from '../lti/service-client.js';
import { runGrade, type GradeOutcome } from './grade-flow.js';
import { waitForToolGrade } from './tool-grade.js';
import { Browser, siteOf, type BrowserStep } from './browser.js';
import { Turns } from '../util/turns.js';
import { runLaunch, type LaunchOutcome } from './launch-flow.js';
import { moodleLogout } from './moodle-login.js';
import { modeOf } from './modes.js';
import type { RunTweaks, Scenario } from './scenarios.js';
import { userFor } from './world.js';

export type { Account, RemotePlatform, RemoteTool, SimulationRequest } from './request.js';
import type { SimulationRequest } from './request.js';

export interface SimulationResult {
  ok: boolean;
  launch: LaunchOutcome;
  grade?: GradeOutcome;
  scenario?: {
    name: string;
    title: string;
    reproduced: boolean;
    unreproducedBecause?: string;
    /** Why it did not reproduce on the release played: it fails only on others (src/moodle/versions.ts). */
    doesNotApply?: string;
    symptom: string;
    cause: string;
    fix: Scenario['fix'];
    /** The cause doctor names for this failure (its troubleshooting entry). */
    diagnosis: Scenario['diagnosis'];
    faq?: string;
  };
  /** Where each side ran and which identity it used. */
  world: {
    platform: string;
    platformServer?: string;
    tool: string;
    toolServer?: string;
    clientId: string;
    deploymentId: string;
    user: string;
  };
  /** What the run could not show as asked, and why (a flag that changes nothing in this set-up). */
  notes?: string[];
}

/**
 * A launch staged with a Moodle-side mistake that an external tool rejected: the tool's answer is the only evidence
 * (it cannot be read for a reason), for a mistake made in Moodle (a replay's symptom is the answer to the second post).
 */
function rejectedByExternalTool(request: SimulationRequest, launch: LaunchOutcome): boolean {
  const scenario = request.scenario;
  return (
    scenario !== undefined &&
    request.remoteTool !== undefined &&
    scenario.kind === 'launch' &&
    scenario.changes.includes('Moodle') &&
    !launch.ok &&
    (launch.stage === 'tool-launch' || launch.stage === 'login-initiation')
  );
}

/** Plan, start, run one launch (and grade), stop. For many launches on one world use `openSimulation`. */
export async function simulate(request: SimulationRequest): Promise<SimulationResult> {
  const result = await runOnce(request);
  // Such a rejection does not show that the mistake was the cause until a launch without it goes through: the same
  // launch again, unstaged (the platform's port is free again).
  if (result.scenario?.reproduced && rejectedByExternalTool(request, result.launch)) {
    const { scenario: _staged, ...unstaged } = request;
    const baseline = await runOnce(unstaged);
    if (!baseline.launch.ok) {
      result.scenario.reproduced = false;
      result.scenario.unreproducedBecause =
        `the tool rejects the launch without the scenario ` +
        `too (${baseline.launch.verdict}), so its rejection ` +
        `shows nothing about the scenario`;
    }
  }
  return result;
}

async function runOnce(request: SimulationRequest): Promise<SimulationResult> {
  const session = await openSimulation(request);
  try {
    return await session.run();
  } finally {
    await session.close();
  }
}

export interface SimulationSession {
  environment: Environment;
  /**
   * One launch (and grade) as `user`. `asPerson` (load mode): a person keeps their Moodle sessions and the tool its
   * access token between runs, and their scores are posted one at a time, each a second later than the last.
   */
  run(options?: { user?: string; asPerson?: boolean }): Promise<SimulationResult>;
  close(): Promise<void>;
}

export async function openSimulation(request: SimulationRequest): Promise<SimulationSession> {
  const plan: EnvironmentPlan = planEnvironment(
    request.config,
    request.keys,
    request.overrides,
    request.leewaySeconds ?? 5,
  );
  const tweaks: RunTweaks = {};
  if (request.world?.course) plan.platform.world.course.shortname = request.world.course;
  if (request.world?.activity) plan.platform.world.activity.name = request.world.activity;
  for (let k = 0; k < (request.extraLearners ?? 0); k++) {
    plan.platform.world.users.push({
      id: 1000 + k,
      username: `learner${k}`,
      givenName: 'Learner',
      familyName: String(k),
      email: `learner${k}@example.edu`,
      idnumber: `L-${k}`,
      persona: 'learner',
    });
  }
  const remoteTool = request.remoteTool;
  const remotePlatform = request.remotePlatform;
  // The mode shapes the plan first, so a scenario changes what that mode registered (your tool's URLs in Moodle, the
  // embedded tool's registration of your Moodle), and nothing is changed after the servers start.
  const start = await modeOf(request).prepare(plan, request);
  if (request.scenario) {
    const before = JSON.stringify({ plan, tweaks });
    request.scenario.apply(plan, tweaks);
    if (JSON.stringify({ plan, tweaks }) === before) {
      throw new InsperaLtiError(
        'USAGE',
        `--scenario ${request.scenario.name} changes ` +
          `nothing in this set-up (${request.scenario.title}: ` +
          `it is already so here), so it cannot show its ` +
          `failure`,
        'run it against a set-up where the setting differs (e.g. an https Moodle), or without --scenario',
      );
    }
  }
  if (request.membershipPageSize) plan.tool.membershipPageSize = request.membershipPageSize;
  const environment = await startEnvironment(plan, {
    ...start,
    // The run's tool port is simulate's --tool-port: the message when it is taken names that flag.
    ...(request.toolPort !== undefined ? { toolPortFlag: '--tool-port' } : {}),
    ...(request.timeoutMs ? { timeoutMs: request.timeoutMs } : {}),
    ...(request.trace ? { trace: request.trace } : {}),
  });
  const world = plan.platform.world;
  const persona = request.scenario?.kind === 'grade' || request.grade ? 'learner' : (request.persona ?? 'learner');
  const user = userFor(world, { persona, ...(request.user !== undefined ? { user: request.user } : {}) });
  const username = remotePlatform
    ? (request.user ?? request.accounts?.[0]?.username ?? 'ada')
    : (user?.username ?? request.user ?? 'ada');
  // The embedded platform accepts any non-empty password for its simulated users.
  const embeddedPassword = randomBytes(9).toString('base64url');
  const passwordOf = (who: string) =>
    request.accounts?.find((a) => a.username === who)?.password ?? (remotePlatform ? '' : embeddedPassword);
  const wwwroot = remotePlatform?.platformId ?? plan.platform.wwwroot;
  const registration = plan.tool.registrations[0];

  // Idle browsers (Moodle sessions) by user: a flow takes one, or a new one when all of that user's are in flight.
  const idleBrowsers = new Map<string, Browser[]>();
  const tokenCache = new Map<string, { answer: TokenAnswer; until: number }>();
  const scoreTurns = new Turns<string>();
  // The second of each person's last score: their next waits for a later second (Moodle compares whole seconds and
  // keeps the score's own time, so a timestamp ahead of the clock would refuse every score until the clock caught up).
  const lastScoreSecond = new Map<string, number>();
  const run = async (options: { user?: string; asPerson?: boolean } = {}): Promise<SimulationResult> => {
    const who = options.user ?? username;
    let browser: Browser | undefined;
    if (options.asPerson) browser = idleBrowsers.get(who)?.pop() ?? new Browser(environment.http);
    // A real Moodle's session is ended after the run (logout): this run's browser is kept for that.
    const once =
      !browser && remotePlatform
        ? new Browser(environment.http, {
            blockThirdPartyCookies: tweaks.blockThirdPartyCookies === true || request.blockThirdPartyCookies === true,
          })
        : undefined;
    let launch: LaunchOutcome;
    try {
      launch = await runLaunch(environment.http, {
        ...(browser ? { browser, direct: true } : once ? { browser: once } : {}),
        wwwroot,
        cmid: remotePlatform?.cmid ?? world.activity.cmid,
        username: who,
        password: passwordOf(who),
        ...(tweaks.blockThirdPartyCookies || request.blockThirdPartyCookies ? { blockThirdPartyCookies: true } : {}),
        ...(tweaks.replay ? { replay: true } : {}),
      });
    } finally {
      if (browser) {
        const idle = idleBrowsers.get(who);
        if (idle) idle.push(browser);
        else idleBrowsers.set(who, [browser]);
      }
    }
    if (once) await moodleLogout(once, wwwroot);
    let grade: GradeOutcome | undefined;
    const wantsGrade = request.grade || request.scenario?.kind === 'grade';
    if (wantsGrade && launch.ok && remoteTool && environment.platform) {
      const launched = world.users.find((u) => u.username === who);
      grade = await waitForToolGrade(environment.platform, launched?.id ?? 0, request.waitSeconds);
    } else if (wantsGrade && launch.ok && launch.tool?.payload && registration) {
      const payload = launch.tool.payload;
      const post = (timestamp?: Date) =>
        runGrade(environment.http, payload, {
          tokenUrl: registration.tokenUrl,
          clientId: registration.clientId,
          toolKey: tweaks.rotatedToolKey && request.keys.other ? request.keys.other : plan.tool.key,
          score: request.score ?? 0.8,
          ...(tweaks.gradeScopes ? { scopes: tweaks.gradeScopes } : {}),
          ...(tweaks.olderSecondScore ? { olderSecondScore: true } : {}),
          ...(tweaks.scoreUrlAfterQuery ? { scoreUrlAfterQuery: true } : {}),
          ...(tweaks.scoreUserId ? { scoreUserId: tweaks.scoreUserId } : {}),
          ...(tweaks.gradingProgress ? { gradingProgress: tweaks.gradingProgress } : {}),
          ...(timestamp ? { timestamp } : {}),
          ...(options.asPerson ? { tokenCache } : {}),
        });
      grade = await (options.asPerson
        ? scoreTurns.take(who, async () => {
            const last = lastScoreSecond.get(who);
            if (last !== undefined) await sleepUntil((last + 1) * 1000);
            const at = new Date();
            lastScoreSecond.set(who, Math.floor(at.getTime() / 1000));
            return post(at);
          })
        : remotePlatform
          ? // A real Moodle keeps each person's last score: one given this second (a load run just before, another
            // process) would make Moodle refuse this one as not newer. Its own second it is, as load mode's are.
            sleepUntil((Math.floor(Date.now() / 1000) + 1) * 1000).then(() => post(new Date()))
          : post());
    }
    const scenario = request.scenario;
    // An external tool is judged by what it answered (an error status or page), not by our tool's report.
    const reproduced =
      scenario !== undefined &&
      (scenario.reproduced({ launch, ...(grade ? { grade } : {}) }) || rejectedByExternalTool(request, launch));
    // Where the tool answers (a real one, or the embedded one at the address Moodle launches): cookies only behave
    // cross-site when that is another site than Moodle's (ports do not count).
    const toolAt = remoteTool?.launchUrl ?? environment.tool?.setup.urls.toolUrl ?? plan.tool.urls.toolUrl;
    const sameSite = () => siteOf(new URL(toolAt)) === siteOf(new URL(wwwroot));
    const played = plan.platform.world.moodle;
    return {
      ok: launch.ok && (grade?.ok ?? true),
      launch,
      ...(request.blockThirdPartyCookies && sameSite()
        ? {
            notes: [
              `--block-third-party-cookies changes nothing here: the tool and Moodle are one site ` +
                `(${siteOf(new URL(wwwroot))}) — ports do not make another site — so no cookie of the launch is ` +
                'a third-party one; reach the tool under another host name (e.g. localhost for 127.0.0.1) to see it',
            ],
          }
        : {}),
      ...(grade ? { grade } : {}),
      ...(scenario
        ? {
            scenario: {
              name: scenario.name,
              title: scenario.title,
              reproduced,
              ...(!reproduced && scenario.moodle && !remotePlatform && !scenario.moodle.applies(played.line.wire)
                ? {
                    doesNotApply:
                      `it fails on Moodle ${scenario.moodle.releases}; this run played Moodle ${played.number}, ` +
                      `where it does not apply: ${scenario.moodle.elsewhere}`,
                  }
                : {}),
              // A Moodle of the user's: its own session cookie decides, not a release number.
              ...(!reproduced && scenario.moodle && remotePlatform && sessionSameSiteNone(launch.steps, wwwroot)
                ? {
                    doesNotApply:
                      `it fails on Moodle ${scenario.moodle.releases}; this Moodle set its session cookie ` +
                      `SameSite=None, so it is before MDL-83526 and served over https: ${scenario.moodle.elsewhere}`,
                  }
                : {}),
              ...(!reproduced && scenario.needsCrossSite && sameSite()
                ? {
                    unreproducedBecause:
                      `the tool is on the platform's own site (${siteOf(new URL(wwwroot))}) ` +
                      `— ports do not make another site — so the browser's ` +
                      `requests between them are same-site and every ` +
                      `cookie goes with them: reach the tool under ` +
                      `another host name (e.g. localhost for 127.0.0.1) ` +
                      `to stage this`,
                  }
                : {}),
              symptom: scenario.symptom,
              cause: scenario.cause,
              // Fixes name Inspera's URLs as https://{domain}/… and Moodle's as {Platform ID}/…: this run's are put in.
              fix: fillFix(scenario.fix, {
                toolOrigin: new URL(plan.tool.urls.toolUrl).origin,
                toolHost: new URL(plan.tool.urls.toolUrl).host,
                platformId: wwwroot,
              }),
              diagnosis: scenario.diagnosis,
              ...(scenario.faq ? { faq: scenario.faq } : {}),
            },
          }
        : {}),
      world: {
        platform: wwwroot,
        ...(environment.platform ? { platformServer: environment.platform.server.origin } : {}),
        tool: remoteTool?.loginInitUrl ?? environment.tool?.setup.urls.loginInitUrl ?? plan.tool.urls.loginInitUrl,
        ...(environment.tool ? { toolServer: environment.tool.server.origin } : {}),
        clientId: remotePlatform?.clientId ?? plan.platform.clientId,
        deploymentId: remotePlatform?.deploymentId ?? plan.platform.typeId,
        user: options.user ?? username,
      },
    };
  };
  const close = async () => {
    if (remotePlatform)
      await Promise.all([...idleBrowsers.values()].flat().map((browser) => moodleLogout(browser, wwwroot)));
    await environment.close();
  };
  return { environment, run, close };
}

/** Whether the Moodle at `wwwroot` set its session cookie SameSite=None in the run (before MDL-83526, over https). */
function sessionSameSiteNone(steps: readonly BrowserStep[], wwwroot: string): boolean {
  const host = new URL(wwwroot).host;
  return steps
    .filter((step) => new URL(step.url).host === host)
    .flatMap((step) => (step.capture.responseHeaders['set-cookie'] ?? '').split('\n').map(parseSetCookie))
    .some((cookie) => cookie?.name === 'MoodleSession' && cookie.sameSite?.toLowerCase() === 'none');
}

/** Resolve once the wall clock reads at least `ms` (ms since 1970); timers run on another clock, so look again. */
async function sleepUntil(ms: number): Promise<void> {
  while (Date.now() < ms) await new Promise((resolve) => setTimeout(resolve, Math.max(1, ms - Date.now())));
}
