import { printable } from '../../util/printable.js';
import { loadConfig } from '../../config/load.js';
import { toolUrlsFor } from '../../inspera/urls.js';
import { registrationFor } from '../../moodle/registration.js';
import { endpointsFor } from '../../moodle/tool-details.js';
import { DEMO_PLATFORM, planEnvironment, startEnvironment, type Environment } from '../../sim/environment.js';
import { explicitConfigPath } from '../config-path.js';
import { simulationKeys } from '../keys.js';
import { PORT, numberFlag } from '../number-flag.js';
import { COMPARED_RELEASES, moodleRelease } from '../../moodle/versions.js';
import { createOutput, type Output } from '../output.js';

export interface ServeFlags {
  moodleVersion?: string;
  port?: string;
  host?: string;
  issuer?: string;
  clientId?: string;
  deploymentId?: string;
  toolLoginUrl?: string;
  toolRedirectUrl?: string[];
  toolUrl?: string;
  toolKeysetUrl?: string;
  toolPublicKeyFile?: string;
  launchContainer?: string;
  courseTool?: boolean;
  platformId?: string;
  authUrl?: string;
  tokenUrl?: string;
  keysetUrl?: string;
  leeway?: string;
  baseUrl?: string;
  json?: boolean;
  config?: string;
  color?: boolean;
}

/** Block until SIGINT/SIGTERM, then close the servers and resolve 0. */
function untilStopped(environment: Environment, out: Output): Promise<number> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      out.log(`${signal}: stopping`);
      void environment.close().then(() => resolve(0));
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}

function logger(out: Output) {
  return (side: 'platform' | 'tool', entry: { method: string; path: string; status: number; note?: string }) => {
    const s = out.style;
    const status = entry.status >= 400 ? s.red(String(entry.status)) : s.green(String(entry.status));
    const note = entry.note ? s.dim(` — ${printable(entry.note, 1000)}`) : '';
    out.log(
      `${new Date().toISOString()} ${side} ${entry.method} ` +
        `${printable(entry.path.split('?')[0]!, 300)} ${status}${note}`,
    );
  };
}

export async function runServePlatform(flags: ServeFlags): Promise<number> {
  const out = createOutput({ color: flags.color, json: flags.json, yes: true });
  const loaded = await loadConfig({ configPath: explicitConfigPath(flags.config) });
  const keys = await simulationKeys(loaded.config, loaded.filepath);
  const plan = planEnvironment(
    loaded.config,
    keys,
    flags.moodleVersion !== undefined ? { moodle: moodleRelease(flags.moodleVersion) } : {},
  );
  const redirects = flags.toolRedirectUrl;
  if (flags.toolLoginUrl) plan.platform.tool.loginInitUrl = flags.toolLoginUrl;
  if (redirects?.length) plan.platform.tool.redirectUrls = redirects;
  if (flags.toolUrl || redirects?.length) plan.platform.tool.toolUrl = flags.toolUrl ?? redirects![0]!;
  if (flags.toolKeysetUrl) plan.platform.tool.keysetUrl = flags.toolKeysetUrl;
  if (flags.toolPublicKeyFile) {
    const { readTextInput } = await import('../read-input.js');
    plan.platform.tool.publicKeyPem = await readTextInput(flags.toolPublicKeyFile, '--tool-public-key-file', 64 * 1024);
    delete plan.platform.tool.keysetUrl;
  }
  if (flags.courseTool) plan.platform.tool.courseTool = true;
  if (flags.launchContainer)
    plan.platform.settings.launchContainer = flags.launchContainer as typeof plan.platform.settings.launchContainer;
  if (flags.clientId) plan.platform.clientId = flags.clientId;
  if (flags.deploymentId) plan.platform.typeId = flags.deploymentId;
  plan.platform.exposeGradebook = true;
  // With no tool named (flags or config), the registered tool is the demo tenant's: it is never contacted, so nothing
  // leaves this machine unless the user names a real host.
  const toolNamed = Boolean(
    loaded.config.tool ||
      flags.toolLoginUrl ||
      redirects?.length ||
      flags.toolUrl ||
      flags.toolKeysetUrl ||
      flags.toolPublicKeyFile,
  );
  const environment = await startEnvironment(plan, {
    embedTool: false,
    offline: !toolNamed,
    platformPort: numberFlag(flags.port, '--port', 0, PORT),
    ...(flags.host ? { host: flags.host } : {}),
    onRequest: logger(out),
  });
  if (!toolNamed)
    out.log(
      `no tool given (--tool-login-url, --tool-redirect-url, ` +
        `--tool-keyset-url, or a config): the demo tool ` +
        `${plan.platform.tool.loginInitUrl} is registered ` +
        `but never contacted`,
    );
  const platform = environment.platform!;
  platform.setup.wwwroot = (flags.issuer ?? platform.server.origin).replace(/\/+$/, '');
  const root = platform.setup.wwwroot;
  const info = {
    role: 'platform',
    listening: platform.server.origin,
    imitates: `Moodle ${plan.platform.world.moodle.release}`,
    toolConfigurationDetails: {
      'Platform ID': root,
      'Client ID': plan.platform.clientId,
      'Deployment ID': plan.platform.typeId,
      ...Object.fromEntries(
        Object.entries(endpointsFor(root)).map(([k, v]) => [
          {
            publicKeysetUrl: 'Public keyset URL',
            accessTokenUrl: 'Access token URL',
            authRequestUrl: 'Authentication request URL',
          }[k]!,
          v,
        ]),
      ),
    },
    registeredTool: plan.platform.tool,
    launch: `${root}/mod/lti/launch.php?id=${plan.platform.world.activity.cmid}`,
    activity: `${root}/mod/lti/view.php?id=${plan.platform.world.activity.cmid}`,
    users: plan.platform.world.users.map((u) => ({ id: u.id, username: u.username, persona: u.persona })),
  };
  const played = plan.platform.world.moodle;
  const assumed = Object.values(played.line.sources).filter((s) => s.how === 'assumed').length;
  out.log(
    COMPARED_RELEASES.includes(played.number)
      ? `imitating ${info.imitates}: each answer compared with a real one (docs/moodle-versions.md, "The ` +
          'embedded platform and the real Moodle")'
      : `imitating ${info.imitates}: the answers of ${COMPARED_RELEASES.join(' and ')}, compared with real ones, ` +
          `with this release's differences from the version model${assumed ? ` (${assumed} of them assumed)` : ''} ` +
          '(docs/moodle-versions.md, "Moodle versions")',
  );
  if (out.json) out.emitJson(info);
  else {
    out.print(out.style.bold(`Moodle-like platform listening on ${platform.server.origin}`));
    for (const [label, value] of Object.entries(info.toolConfigurationDetails))
      out.print(`  ${(label + ':').padEnd(28)}${value}`);
    out.print(`  Registered tool login:      ${plan.platform.tool.loginInitUrl}`);
    out.print(`  Registered redirect URIs:   ${plan.platform.tool.redirectUrls.join(', ')}`);
    out.print(`  Activity (after logging in): ${info.activity}`);
    out.print(`  Answers like:               ${info.imitates} (mod_lti)`);
    out.log('logging requests; Ctrl-C to stop');
  }
  return untilStopped(environment, out);
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
