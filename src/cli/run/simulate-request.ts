import { refuseUnusableFlags, type SimulateFlags } from './simulate-flags.js';
import { InsperaLtiError } from '../../errors.js';
import { loadConfig } from '../../config/load.js';
import { parseParameterPairs } from '../../config/custom-parameters-input.js';
import { SCENARIOS, findScenario } from '../../sim/scenarios.js';
import { refuseUnstageable } from '../../sim/modes.js';
import { ownMoodleRun } from '../../sim/own-moodle.js';
import type { SimulationRequest } from '../../sim/simulate.js';
import { closest } from '../../util/suggest.js';
import { PORT, numberFlag } from '../number-flag.js';
import { explicitConfigPath } from '../config-path.js';
import { moodleAccounts } from '../moodle-accounts.js';
import { simulationKeys } from '../keys.js';
import { moodleRelease } from '../../moodle/versions.js';

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

/** simulate's flags, config and keys as the request its engine takes (refusing what cannot go together). */
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
  refuseUnusableFlags(flags);
  const notes: string[] = [];
  const own =
    flags.platformUrl !== undefined
      ? ownMoodleRun({
          platformUrl: url(flags.platformUrl, '--platform-url'),
          config: loaded.config,
          ...(flags.clientId !== undefined ? { clientId: flags.clientId } : {}),
          ...(flags.deploymentId !== undefined ? { deploymentId: flags.deploymentId } : {}),
          ...(flags.toolPort !== undefined ? { toolPort: numberFlag(flags.toolPort, '--tool-port', 0, PORT) } : {}),
          ...(flags.toolBaseUrl !== undefined ? { toolBaseUrl: url(flags.toolBaseUrl, '--tool-base-url') } : {}),
        })
      : undefined;
  if (own) notes.push(...own.notes);
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
