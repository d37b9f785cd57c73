import { loadConfig } from '../../config/load.js';
import { InsperaLtiError } from '../../errors.js';
import { SCENARIOS, type Scenario } from '../../sim/scenarios.js';
import { closest } from '../../util/suggest.js';
import { toolUrlsFor } from '../../inspera/urls.js';
import { registrationFor } from '../../moodle/registration.js';
import { DEMO_PLATFORM, planEnvironment, startEnvironment } from '../../sim/environment.js';
import { explicitConfigPath } from '../config-path.js';
import { simulationKeys } from '../keys.js';
import { PORT, numberFlag } from '../number-flag.js';
import { createOutput } from '../output.js';
import { logger, untilStopped, type ServeFlags } from './serve.js';

/** A scenario `serve tool` can play: one that changes only the tool's side of a launch. */
function toolScenario(name: string | undefined): Scenario | undefined {
  if (name === undefined) return undefined;
  const playable = SCENARIOS.filter((s) => s.kind === 'launch' && s.changes.length === 1 && s.changes[0] === 'Inspera');
  const scenario = playable.find((s) => s.name === name);
  if (scenario) return scenario;
  const guess = closest(
    name,
    playable.map((s) => s.name),
  );
  throw new InsperaLtiError(
    'INVALID_VALUE',
    `--scenario ${JSON.stringify(name)} is not one serve tool plays (only the tool's side of a launch)`,
    `${guess ? `did you mean "${guess}"? ` : ''}serve tool plays: ${playable.map((s) => s.name).join(', ')}`,
  );
}

export async function runServeTool(flags: ServeFlags): Promise<number> {
  const out = createOutput({ color: flags.color, json: flags.json, yes: true });
  const loaded = await loadConfig({ configPath: explicitConfigPath(flags.config) });
  const keys = await simulationKeys(loaded.config, loaded.filepath);
  const plan = planEnvironment(loaded.config, keys, {}, numberFlag(flags.leeway, '--leeway', 5, { max: 3600 }));
  const recorded = loaded.config.platform;
  plan.tool.registrations = [
    registrationFor({
      platformId: (flags.platformId ?? recorded.platformId ?? DEMO_PLATFORM.platformId).trim(),
      clientId: flags.clientId ?? recorded.clientId ?? DEMO_PLATFORM.clientId,
      deploymentId: flags.deploymentId ?? recorded.deploymentId ?? DEMO_PLATFORM.deploymentId,
      // The recorded URLs belong to the recorded Platform ID; a --platform-id of its own has its URLs derived.
      ...(flags.platformId
        ? {}
        : {
            publicKeysetUrl: recorded.publicKeysetUrl,
            accessTokenUrl: recorded.accessTokenUrl,
            authRequestUrl: recorded.authRequestUrl,
          }),
      ...(flags.authUrl ? { authRequestUrl: flags.authUrl } : {}),
      ...(flags.tokenUrl ? { accessTokenUrl: flags.tokenUrl } : {}),
      ...(flags.keysetUrl ? { publicKeysetUrl: flags.keysetUrl } : {}),
    })!,
  ];
  const scenario = toolScenario(flags.scenario);
  scenario?.apply(plan, {});
  if (flags.stateCookie !== undefined)
    plan.tool.behaviour = { ...plan.tool.behaviour, stateCookieAttributes: flags.stateCookie };
  const log = logger(out);
  const environment = await startEnvironment(plan, {
    embedPlatform: false,
    offline: false,
    toolPort: numberFlag(flags.port, '--port', 0, PORT),
    ...(flags.host ? { host: flags.host } : {}),
    onRequest: log,
  });
  const tool = environment.tool!;
  const base = new URL((flags.baseUrl ?? tool.server.origin).replace(/\/+$/, ''));
  tool.setup.urls = toolUrlsFor(base.host, base.protocol === 'https:' ? 'https' : 'http');
  const info = {
    role: 'tool',
    listening: tool.server.origin,
    urls: tool.setup.urls,
    registeredPlatform: plan.tool.registrations[0] ?? null,
    ...(scenario ? { scenario: scenario.name } : {}),
  };
  if (out.json) out.emitJson(info);
  else {
    out.print(out.style.bold(`Inspera-like tool listening on ${tool.server.origin}`));
    out.print(`  Tool URL:             ${info.urls.toolUrl}`);
    out.print(`  Public keyset:        ${info.urls.keysetUrl}`);
    out.print(`  Initiate login URL:   ${info.urls.loginInitUrl}`);
    out.print(`  Redirection URI(s):   ${info.urls.redirectUrls.join(', ')}`);
    const held = info.registeredPlatform;
    out.print(
      held
        ? `  Accepts platform:     ${held.issuer} (client ${held.clientId}, ` +
            `deployment ${held.deploymentIds.join(', ')})`
        : `  Accepts platform:     none (scenario ${scenario!.name}: it refuses every login initiation)`,
    );
    if (scenario) out.print(`  Scenario:             ${scenario.name} — ${scenario.title}`);
    out.log('logging requests; Ctrl-C to stop');
  }
  return untilStopped(environment, out);
}
