import { loadConfig } from '../../config/load.js';
import type { Config } from '../../config/types.js';
import { InsperaLtiError } from '../../errors.js';
import { parseTenant } from '../../inspera/domain.js';
import { toolUrlsFor } from '../../inspera/urls.js';
import { endpointsFor } from '../../moodle/tool-details.js';
import { explicitConfigPath } from '../config-path.js';
import { numberFlag } from '../number-flag.js';
import { createOutput } from '../output.js';
import { cliProber } from '../prober.js';
import { checkReportFlags, emitReport, reporterOf } from '../write-report.js';

export interface ValidateFlags {
  only?: 'platform' | 'tool';
  timeout?: string;
  insecure?: boolean;
  allowInsecure?: boolean;
  allowIdn?: boolean;
  platformId?: string;
  clientId?: string;
  deploymentId?: string;
  domain?: string;
  reporter?: 'human' | 'json' | 'junit';
  output?: string;
  json?: boolean;
  config?: string;
  color?: boolean;
  quiet?: boolean;
  verbose?: boolean;
}

function withFlags(config: Config, flags: ValidateFlags, env: NodeJS.ProcessEnv): Config {
  const next: Config = structuredClone(config);
  if (flags.allowIdn) next.allowIdn = true;
  if (flags.allowInsecure) next.allowInsecure = true;
  const platformId = flags.platformId ?? env.INSPERA_LTI_PLATFORM_ID;
  if (platformId) next.platform = { ...next.platform, platformId, ...endpointsFor(platformId.trim()) };
  const clientId = flags.clientId ?? env.INSPERA_LTI_CLIENT_ID;
  if (clientId) next.platform.clientId = clientId;
  const deploymentId = flags.deploymentId ?? env.INSPERA_LTI_DEPLOYMENT_ID;
  if (deploymentId) next.platform.deploymentId = deploymentId;
  const domain = flags.domain ?? env.INSPERA_LTI_DOMAIN;
  if (domain) {
    const tenant = parseTenant(domain, { allowInsecure: next.allowInsecure, allowIdn: next.allowIdn });
    next.tool = {
      domain: tenant.domain,
      scheme: tenant.scheme,
      name: next.tool?.name ?? 'Inspera',
      templates: next.tool?.templates ?? {},
      urls: toolUrlsFor(tenant.domain, tenant.scheme, next.tool?.templates),
      customParameters: next.tool?.customParameters ?? {},
    };
  }
  return next;
}

export async function runValidate(flags: ValidateFlags, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const json = flags.json === true || flags.reporter === 'json';
  const out = createOutput({ color: flags.color, json, yes: true, quiet: flags.quiet, verbose: flags.verbose });
  checkReportFlags(flags);
  const timeoutMs = numberFlag(flags.timeout, '--timeout', 10_000, { min: 100, max: 600_000 });
  const loaded = await loadConfig({ configPath: explicitConfigPath(flags.config, env) });
  const config = withFlags(loaded.config, flags, env);
  if (!config.tool && Object.keys(config.platform).length === 0) {
    throw new InsperaLtiError(
      'MISSING_FLAG',
      'nothing to validate: no config and no --platform-id or --domain',
      'run `inspera-lti init --domain <tenant>` and `inspera-lti record`, or pass --platform-id / --domain',
    );
  }
  const { validateConnection } = await import('../../checks/validate/connection.js');
  const prober = await cliProber(out, { insecure: flags.insecure === true, env });
  out.progress(`checking ${flags.only ?? 'Moodle and Inspera'} (each request at most ${timeoutMs / 1000} s)…`);
  let reachability: Awaited<ReturnType<typeof validateConnection>>;
  try {
    reachability = await validateConnection({
      config,
      prober,
      timeoutMs,
      ...(flags.only ? { only: flags.only } : {}),
    });
  } finally {
    await prober.close();
  }
  const { validateReport } = await import('../../report/validate.js');
  const report = validateReport(reachability, { config, insecure: prober.insecure });
  await emitReport(out, report, reporterOf(flags), flags.output);
  return report.failed ? 1 : 0;
}
