import { loadConfig } from '../../config/load.js';
import { toolUrlsFor } from '../../inspera/urls.js';
import { registrationFor } from '../../moodle/registration.js';
import { DEMO_PLATFORM, planEnvironment, startEnvironment } from '../../sim/environment.js';
import { explicitConfigPath } from '../config-path.js';
import { simulationKeys } from '../keys.js';
import { PORT, numberFlag } from '../number-flag.js';
import { createOutput } from '../output.js';
import { logger, untilStopped, type ServeFlags } from './serve.js';

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
  const platformId = plan.tool.registrations[0]!.issuer;
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
    registeredPlatform: plan.tool.registrations[0],
  };
  if (out.json) out.emitJson(info);
  else {
    out.print(out.style.bold(`Inspera-like tool listening on ${tool.server.origin}`));
    out.print(`  Tool URL:             ${info.urls.toolUrl}`);
    out.print(`  Public keyset:        ${info.urls.keysetUrl}`);
    out.print(`  Initiate login URL:   ${info.urls.loginInitUrl}`);
    out.print(`  Redirection URI(s):   ${info.urls.redirectUrls.join(', ')}`);
    out.print(
      `  Accepts platform:     ${platformId} (client ` +
        `${info.registeredPlatform!.clientId}, deployment ` +
        `${info.registeredPlatform!.deploymentIds.join(', ')})`,
    );
    out.log('logging requests; Ctrl-C to stop');
  }
  return untilStopped(environment, out);
}
