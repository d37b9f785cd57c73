import { resolve } from 'node:path';
import type { SimulateFlags } from './simulate-flags.js';
import { InsperaLtiError } from '../../errors.js';
import { loadConfig } from '../../config/load.js';
import type { Config } from '../../config/types.js';
import { parseParameterPairs } from '../../config/custom-parameters-input.js';
import { SCENARIOS, findScenario, type Scenario } from '../../sim/scenarios.js';
import { simulationChecks } from '../../sim/results.js';
import type { SimulationRequest, SimulationResult } from '../../sim/simulate.js';
import { closest } from '../../util/suggest.js';
import { PORT, numberFlag } from '../number-flag.js';
import { explicitConfigPath } from '../config-path.js';
import { moodleAccounts } from '../moodle-accounts.js';
import { simulationKeys } from '../keys.js';
import { httpLog } from '../http-log.js';
import { moodleRelease } from '../../moodle/versions.js';
import { createOutput, type Output } from '../output.js';
import { checkReportFlags, emitReport, reporterOf, reportMeta } from '../write-report.js';

function url(value: string, flag: string): string {
  try {
    const parsed = new URL(value.trim());
    if (!/^https?:$/.test(parsed.protocol)) throw new Error('scheme');
    return value.trim();
  } catch {
    throw new InsperaLtiError(
      'INVALID_URL',
      `${flag} ${JSON.stringify(value)} is not an http(s) URL`,
      `e.g. ${flag} https://tool.example.edu/lti/login`,
    );
  }
}

export function listScenarios(out: Output): number {
  if (out.json) {
    out.emitJson(
      SCENARIOS.map((s) => ({
        name: s.name,
        kind: s.kind,
        changes: s.changes,
        title: s.title,
        symptom: s.symptom,
        faq: s.faq ?? null,
        moodle: s.moodle?.releases ?? 'every release',
      })),
    );
    return 0;
  }
  const width = Math.max(...SCENARIOS.map((s) => s.name.length)) + 2;
  const changed = (s: Scenario) => (s.changes.length ? s.changes.join(' + ') : 'browser');
  const sideWidth = Math.max(...SCENARIOS.map((s) => changed(s).length)) + 2;
  for (const s of SCENARIOS)
    out.print(
      `${s.name.padEnd(width)}${out.style.dim(`[${s.kind}]`.padEnd(9))}${changed(s).padEnd(sideWidth)}${s.title}` +
        (s.moodle ? out.style.dim(` — only on Moodle ${s.moodle.releases}`) : ''),
    );
  out.log(
    `${SCENARIOS.length} scenarios; run one with ` +
      `--scenario <name> (grade scenarios also with ` +
      `\`simulate grade\`). The middle column is the ` +
      `side a scenario changes: it runs only where ` +
      `that side is embedded, not against your own ` +
      `Moodle (--platform-url) or tool (--tool-*-url).`,
  );
  return 0;
}

/**
 * A scenario stages its mistake in the embedded Moodle or Inspera; when that side is the user's own system it cannot,
 * and a run would report "not reproduced" for a mistake never made. A grade scenario is judged by the embedded tool's
 * own token request and score, which an external tool does not make.
 */
function refuseUnstageable(scenario: Scenario, own: { ownTool: boolean; ownPlatform: boolean }): void {
  const name = `--scenario ${scenario.name}`;
  if (own.ownTool && scenario.changes.includes('Inspera')) {
    throw new InsperaLtiError(
      'USAGE',
      `${name} stages its mistake in the tool (${scenario.title}), ` +
        `and with --tool-login-url the tool is yours, ` +
        `which the CLI cannot change`,
      'make that change in your tool and run without --scenario, or ' +
        'drop the --tool-*-url flags to run the scenario against the ' +
        'embedded tool',
    );
  }
  if (own.ownTool && scenario.kind === 'grade') {
    throw new InsperaLtiError(
      'USAGE',
      `${name} is judged by the embedded tool's token request and score, and your tool posts its own`,
      'run simulate grade --wait <seconds> with the Moodle setting ' +
        'changed (e.g. --ags off, --accept-grades never) to see what your ' +
        'tool does, or drop the --tool-*-url flags',
    );
  }
  if (own.ownPlatform && scenario.changes.includes('Moodle')) {
    throw new InsperaLtiError(
      'USAGE',
      `${name} stages its mistake in Moodle (${scenario.title}), ` +
        `and with --platform-url Moodle is yours, which ` +
        `the CLI cannot change`,
      'make that change on your (test) Moodle and run without ' +
        '--scenario, or drop --platform-url to run the scenario against ' +
        'the embedded Moodle',
    );
  }
}

export async function buildRequest(
  kind: 'launch' | 'grade',
  flags: SimulateFlags,
): Promise<{ request: SimulationRequest; configPath: string | undefined; notes: string[] }> {
  const loaded = await loadConfig({ configPath: explicitConfigPath(flags.config) });
  const scenario = flags.scenario === undefined ? undefined : findScenario(flags.scenario);
  if (flags.scenario !== undefined && !scenario) {
    const guess = closest(
      flags.scenario,
      SCENARIOS.map((s) => s.name),
    );
    throw new InsperaLtiError(
      'INVALID_VALUE',
      `--scenario ${JSON.stringify(flags.scenario)} is not a known scenario`,
      guess ? `did you mean "${guess}"? (--list-scenarios lists them)` : 'run with --list-scenarios to see them',
    );
  }
  const toolUrls = [flags.toolLoginUrl, flags.toolLaunchUrl, flags.toolKeysetUrl];
  if (toolUrls.some((u) => u !== undefined) && toolUrls.some((u) => u === undefined)) {
    throw new InsperaLtiError(
      'MISSING_FLAG',
      'a real tool needs all of --tool-login-url, --tool-launch-url and --tool-keyset-url',
      'give the three URLs the tool documents',
    );
  }
  if (flags.toolLoginUrl !== undefined && flags.platformUrl !== undefined) {
    throw new InsperaLtiError(
      'USAGE',
      '--tool-login-url with --platform-url: a real platform decides ' +
        'which tool its activity launches into, so the tool URLs would ' +
        'not be used',
      "drop the --tool-*-url flags: the run follows the activity's " +
        'launch to whatever tool it uses (the embedded one on --tool-port ' +
        "when that is the one registered), and judges that tool's answer",
    );
  }
  if (flags.wait !== undefined && !flags.toolLoginUrl) {
    throw new InsperaLtiError(
      'USAGE',
      '--wait is for a grade an external tool posts itself',
      "add the tool's --tool-login-url, --tool-launch-url and " +
        '--tool-keyset-url, or drop --wait (the embedded tool posts at ' +
        'once)',
    );
  }
  const platformOnly = {
    '--tool-port': flags.toolPort,
    '--tool-base-url': flags.toolBaseUrl,
    '--cmid': flags.cmid,
    '--username': flags.username,
    '--client-id': flags.clientId,
    '--deployment-id': flags.deploymentId,
  };
  const stray = Object.entries(platformOnly).find(([, v]) => v !== undefined)?.[0];
  if (stray && flags.platformUrl === undefined) {
    throw new InsperaLtiError(
      'USAGE',
      `${stray} is for a run against a platform of yours (--platform-url)`,
      'add --platform-url <wwwroot>, or drop the flag',
    );
  }
  const notes: string[] = [];
  if (flags.moodleVersion !== undefined && flags.platformUrl !== undefined)
    throw new InsperaLtiError(
      'USAGE',
      `--moodle-version ${flags.moodleVersion} sets the embedded platform's release; --platform-url is your Moodle, ` +
        'which runs the release it runs',
      'drop --moodle-version (or --platform-url)',
    );
  const own = flags.platformUrl !== undefined ? ownPlatform(flags, loaded.config, notes) : undefined;
  if (scenario)
    refuseUnstageable(scenario, {
      ownTool: flags.toolLoginUrl !== undefined,
      ownPlatform: flags.platformUrl !== undefined,
    });
  const accounts = await moodleAccounts(flags);
  const keys = await simulationKeys(loaded.config, loaded.filepath, scenario?.name === 'tool-key-rotated');
  const request: SimulationRequest = {
    config: loaded.config,
    keys,
    overrides: {
      ...(flags.ags ? { ags: flags.ags } : {}),
      ...(flags.nrps !== undefined ? { nrps: flags.nrps } : {}),
      ...(flags.shareName ? { shareName: flags.shareName } : {}),
      ...(flags.shareEmail ? { shareEmail: flags.shareEmail } : {}),
      ...(flags.acceptGrades ? { acceptGrades: flags.acceptGrades } : {}),
      ...(flags.launchContainer ? { launchContainer: flags.launchContainer } : {}),
      ...(flags.custom ? { custom: parseParameterPairs(flags.custom, '--custom') } : {}),
      ...(flags.moodleVersion !== undefined ? { moodle: moodleRelease(flags.moodleVersion) } : {}),
    },
    ...(flags.persona ? { persona: flags.persona } : {}),
    ...(flags.blockThirdPartyCookies ? { blockThirdPartyCookies: true } : {}),
    ...((flags.username ?? flags.user) ? { user: (flags.username ?? flags.user)! } : {}),
    ...(accounts ? { accounts } : {}),
    ...(flags.course || flags.activity
      ? {
          world: {
            ...(flags.course ? { course: flags.course } : {}),
            ...(flags.activity ? { activity: flags.activity } : {}),
          },
        }
      : {}),
    ...(scenario ? { scenario } : {}),
    grade: kind === 'grade',
    score: numberFlag(flags.score, '--score', 0.8, { min: 0, max: 1 }),
    leewaySeconds: numberFlag(flags.leeway, '--leeway', 5, { max: 3600 }),
    timeoutMs: numberFlag(flags.timeout, '--timeout', 10_000, { min: 100, max: 600_000 }),
    ...(flags.toolLoginUrl
      ? {
          remoteTool: {
            loginInitUrl: url(flags.toolLoginUrl, '--tool-login-url'),
            launchUrl: url(flags.toolLaunchUrl!, '--tool-launch-url'),
            keysetUrl: url(flags.toolKeysetUrl!, '--tool-keyset-url'),
          },
        }
      : {}),
    ...(own
      ? {
          remotePlatform: {
            platformId: own.platformId,
            clientId: own.clientId,
            deploymentId: own.deploymentId,
            ...(flags.cmid ? { cmid: numberFlag(flags.cmid, '--cmid', 12, { min: 1, integer: true }) } : {}),
          },
        }
      : {}),
    ...(own?.toolPort !== undefined ? { toolPort: own.toolPort } : {}),
    ...(flags.wait !== undefined ? { waitSeconds: numberFlag(flags.wait, '--wait', 30, { min: 1, max: 3600 }) } : {}),
    ...(flags.nrpsPageSize
      ? {
          membershipPageSize: numberFlag(flags.nrpsPageSize, '--nrps-page-size', 0, {
            min: 1,
            max: 10_000,
            integer: true,
          }),
        }
      : {}),
    ...(own?.toolBaseUrl ? { toolBaseUrl: own.toolBaseUrl } : {}),
    ...(flags.platformPort ? { platformPort: numberFlag(flags.platformPort, '--platform-port', 0, PORT) } : {}),
  };
  return { request, configPath: loaded.filepath, notes };
}

/**
 * A run against a Moodle of the user's: the Client ID and Deployment ID Moodle shows for the tool (flags, else the
 * recorded six values of that same Moodle), and where the embedded tool answers — where the config's tenant points
 * when that is this machine, since Moodle's tool was set up for that address.
 */
function ownPlatform(flags: SimulateFlags, config: Config, notes: string[]) {
  const platformId = url(flags.platformUrl!, '--platform-url').replace(/\/+$/, '');
  const recorded = config.platform;
  const sameMoodle = recorded.platformId?.trim().replace(/\/+$/, '') === platformId;
  const clientId = flags.clientId ?? (sameMoodle ? recorded.clientId : undefined);
  const deploymentId = flags.deploymentId ?? (sameMoodle ? recorded.deploymentId : undefined);
  if (!clientId || !deploymentId) {
    const missing = [!clientId ? '--client-id' : '', !deploymentId ? '--deployment-id' : '']
      .filter(Boolean)
      .join(' and ');
    throw new InsperaLtiError(
      'MISSING_FLAG',
      `--platform-url needs ${missing}: ` +
        (recorded.platformId && !sameMoodle
          ? `the recorded values are of another Moodle (${recorded.platformId})`
          : 'none is recorded for this Moodle'),
      'give the values Moodle shows in the tool\'s "View configuration ' +
        'details", or record them (inspera-lti record) and run again',
    );
  }
  let toolPort = flags.toolPort !== undefined ? numberFlag(flags.toolPort, '--tool-port', 0, PORT) : undefined;
  let toolBaseUrl =
    flags.toolBaseUrl !== undefined ? url(flags.toolBaseUrl, '--tool-base-url').replace(/\/+$/, '') : undefined;
  const tenant = config.tool ? new URL(`${config.tool.scheme}://${config.tool.domain}`) : undefined;
  const tenantHere = tenant !== undefined && tenant.port !== '' && isLoopback(tenant.hostname);
  if (tenantHere && toolPort === undefined && toolBaseUrl === undefined) {
    toolPort = Number(tenant.port);
    toolBaseUrl = tenant.origin;
  }
  const runsAt = toolBaseUrl ?? (toolPort !== undefined ? `http://127.0.0.1:${toolPort}` : undefined);
  if (tenant && runsAt !== tenant.origin) {
    notes.push(
      `the embedded tool answers at ${runsAt ?? 'a free port of 127.0.0.1'}, ` +
        `but the config's tenant, for which Moodle's ` +
        `tool was set up, is ${tenant.origin}: Moodle's ` +
        `activity launches there, not into the embedded ` +
        'tool' +
        (tenantHere
          ? ''
          : ' (give --tool-port or --tool-base-url, or run inspera-lti init for the address the tool runs at)'),
    );
  } else if (!tenant) {
    notes.push(
      `the embedded tool answers at ${runsAt ?? 'a free port of 127.0.0.1'}; ` +
        `Moodle's tool must have its URLs there (inspera-lti ` +
        `init --domain ${runsAt ? new URL(runsAt).host : '127.0.0.1:<port>'} ` +
        `--allow-insecure prints them)${runsAt ? '' : ': give --tool-port to keep one address'}`,
    );
  }
  return {
    platformId,
    clientId,
    deploymentId,
    ...(toolPort !== undefined ? { toolPort } : {}),
    ...(toolBaseUrl ? { toolBaseUrl } : {}),
  };
}

function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  return bare === 'localhost' || bare.endsWith('.localhost') || bare === '::1' || /^127\.\d+\.\d+\.\d+$/.test(bare);
}

export async function runSimulate(kind: 'launch' | 'grade', flags: SimulateFlags): Promise<number> {
  const json = flags.json === true || flags.reporter === 'json';
  const out = createOutput({ color: flags.color, json, yes: true, quiet: flags.quiet, verbose: flags.verbose });
  if (flags.listScenarios) return listScenarios(out);
  if (flags.verbose && (flags.count !== undefined || flags.rate !== undefined))
    throw new InsperaLtiError(
      'USAGE',
      '--verbose logs each request of one run; load mode makes thousands',
      'drop --verbose, or run one launch with it first',
    );
  checkReportFlags(flags);
  if (flags.report !== undefined && !/\.html?$/i.test(flags.report)) {
    throw new InsperaLtiError(
      'USAGE',
      `--report ${flags.report}: the simulation report is HTML`,
      'give a file ending in .html (JSON and JUnit go to --reporter with --output)',
    );
  }
  if (flags.expect !== undefined && flags.scenario === undefined)
    throw new InsperaLtiError(
      'MISSING_FLAG',
      `--expect ${flags.expect} needs --scenario: only a failure scenario has an outcome to expect`,
      'add --scenario <name> (--list-scenarios lists them), or drop --expect',
    );
  if (flags.expect !== undefined && flags.count !== undefined)
    throw new InsperaLtiError(
      'USAGE',
      `--expect ${flags.expect} judges one run; load mode (--count) makes many`,
      'drop --expect, or --count',
    );
  if (flags.report !== undefined && flags.count !== undefined)
    throw new InsperaLtiError(
      'USAGE',
      '--report draws one launch; load mode (--count) has none to draw',
      'drop --report, or --count',
    );
  const { request, notes } = await buildRequest(kind, flags);
  // Where the embedded tool answers matters only if Moodle's activity launches into it: said up front before a load
  // run, after a single run only when its launch failed (a launch that went through found its tool).
  const warnNotes = () => {
    for (const note of notes) out.warn(note);
  };
  if (flags.rate !== undefined || flags.count !== undefined) warnNotes();
  if (flags.rate !== undefined || flags.duration !== undefined) {
    if (flags.rate === undefined || flags.duration === undefined)
      throw new InsperaLtiError(
        'USAGE',
        'the open model needs both --rate and --duration',
        'e.g. --rate 20 --duration 60',
      );
    if (flags.count !== undefined)
      throw new InsperaLtiError(
        'USAGE',
        '--count (a closed loop) and --rate (the open model) are two kinds of load run',
        'choose one',
      );
    await confirmLoad(request, flags, out);
    const { runOpenLoad } = await import('./load.js');
    return runOpenLoad(
      request,
      {
        rate: numberFlag(flags.rate, '--rate', 10, { min: 0.1, max: 1000 }),
        duration: numberFlag(flags.duration, '--duration', 60, { min: 1, max: 600 }),
      },
      out,
      flags,
    );
  }
  if (flags.count !== undefined) {
    await confirmLoad(request, flags, out);
    const { runLoad } = await import('./load.js');
    return runLoad(
      request,
      {
        count: numberFlag(flags.count, '--count', 100, { min: 1, max: 1_000_000, integer: true }),
        concurrency: numberFlag(flags.concurrency, '--concurrency', 10, { min: 1, max: 1000, integer: true }),
      },
      out,
      flags,
    );
  }
  const { simulate } = await import('../../sim/simulate.js');
  const started = Date.now();
  const trace = httpLog(out);
  const result: SimulationResult = await simulate(trace ? { ...request, trace } : request);
  const seconds = (Date.now() - started) / 1000;
  if (!result.launch.ok) warnNotes();
  const checks = simulationChecks(result);
  if (flags.har) {
    const { toHar } = await import('../../sim/har.js');
    const { writeFileAtomic } = await import('../../util/atomic-write.js');
    // Like a browser's own capture it holds the session cookies and the signed id_token: for its owner's eyes only.
    await writeFileAtomic(resolve(flags.har), JSON.stringify(toHar(result.launch.steps), null, 2) + '\n', {
      force: true,
      mode: 0o600,
    });
    out.log(`capture written to ${flags.har} (mode 600: it holds the run's cookies and id_token)`);
  }
  const { expectedReport, simulationReport } = await import('../../report/simulation.js');
  // With --expect reproduced the verdict follows the expectation (JUnit too).
  const simulated = simulationReport(kind, result, checks, seconds);
  const report = flags.expect === 'reproduced' ? expectedReport(simulated, result, checks) : simulated;
  if (flags.report) {
    const [{ REPORTERS }, { writeFileAtomic }] = await Promise.all([
      import('../../report/reporters.js'),
      import('../../util/atomic-write.js'),
    ]);
    await writeFileAtomic(
      resolve(flags.report),
      await REPORTERS.html.render(report, { style: out.style, meta: reportMeta() }),
      { force: true },
    );
    out.log(`HTML report written to ${flags.report}`);
  }
  await emitReport(out, report, reporterOf(flags), flags.output);
  if (flags.expect === 'reproduced') {
    const reproduced = result.scenario?.reproduced === true;
    out.log(
      `--expect reproduced: ${
        reproduced
          ? 'it was (exit 0)'
          : result.scenario?.doesNotApply
            ? `it does not apply to this Moodle release (exit 1)`
            : 'it was not (exit 1)'
      }`,
    );
    return reproduced ? 0 : 1;
  }
  return result.ok ? 0 : 1;
}

/** Load against anything but this machine is real load on a real system: only when asked for (or confirmed). */
async function confirmLoad(request: SimulationRequest, flags: SimulateFlags, out: Output): Promise<void> {
  const targets = [
    request.remotePlatform?.platformId,
    request.remoteTool?.loginInitUrl,
    request.remoteTool?.launchUrl,
  ].filter((u): u is string => !!u);
  const away = targets.filter((u) => !['127.0.0.1', 'localhost', '[::1]'].includes(new URL(u).hostname));
  if (!away.length || flags.yesLoadTest) return;
  const hosts = [...new Set(away.map((u) => new URL(u).host))].join(', ');
  if (out.interactive) {
    const { confirm } = await import('@inquirer/prompts');
    if (await confirm({ message: `Put load on ${hosts}? It is a real system`, default: false })) return;
  }
  throw new InsperaLtiError(
    'USAGE',
    `load on ${hosts} is real load on a real system`,
    "add --yes-load-test to run it (agree it with the system's owners first)",
  );
}
