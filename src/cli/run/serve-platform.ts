import { loadConfig } from '../../config/load.js';
import { endpointsFor } from '../../moodle/tool-details.js';
import { planEnvironment, startEnvironment } from '../../sim/environment.js';
import { explicitConfigPath } from '../config-path.js';
import { simulationKeys } from '../keys.js';
import { PORT, numberFlag } from '../number-flag.js';
import { COMPARED_RELEASES, moodleRelease } from '../../moodle/versions.js';
import { createOutput } from '../output.js';
import { logger, untilStopped, type ServeFlags } from './serve.js';

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
  if (flags.stripAuthorization) plan.platform.stripAuthorization = true;
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
