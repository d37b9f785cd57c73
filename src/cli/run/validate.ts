import { loadConfig } from '../../config/load.js';
import type { Config } from '../../config/types.js';
import { InsperaLtiError } from '../../errors.js';
import { parseTenant } from '../../inspera/domain.js';
import { toolUrlsFor } from '../../inspera/urls.js';
import { endpointsFor } from '../../moodle/tool-details.js';
import { renderChecks } from '../../report/human-checks.js';
import { summarise } from '../../core/result.js';
import { NETWORK_FIX } from '../../checks/validate/reachability.js';
import { explicitConfigPath } from '../config-path.js';
import { numberFlag } from '../number-flag.js';
import { createOutput } from '../output.js';
import { cliProber } from '../prober.js';
import type { Report } from '../../report/reporters.js';
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
  const { results, seconds } = reachability;
  const counts = summarise(results);
  const counted = results.length - counts.skip;
  const report: Report = {
    name: 'validate',
    seconds,
    results: () => results,
    json: () => ({
      ok: counts.fail === 0,
      insecure: prober.insecure,
      ...(reachability.reachedNothing ? { reachedNothing: true } : {}),
      seconds,
      counts,
      results,
    }),
    human: (s) => [
      s.bold('inspera-lti validate') +
        s.dim(
          ` — Moodle ${config.platform.platformId ?? '(not recorded)'} ` +
            `· Inspera ${config.tool?.domain ?? '(no tenant)'}`,
        ),
      ...(prober.insecure
        ? [s.yellow('  ! --insecure: TLS certificates are NOT checked — only for test servers')]
        : []),
      ...renderChecks(results, s),
      '',
      ...(reachability.reachedNothing
        ? [
            `${s.red('✖')} ${s.bold('This machine reaches neither side')}: ` +
              `no address answered at all, so nothing about ` +
              `the LTI settings could be judged. Fix in network: ` +
              `${NETWORK_FIX.action}.`,
          ]
        : []),
      `${counts.fail ? s.red('✖') : s.green('✔')} ${counts.pass}/${counted} ` +
        `passed${counts.warn ? `, ${counts.warn} warning${counts.warn > 1 ? 's' : ''}` : ''}` +
        `${counts.fail ? `, ${counts.fail} failed` : ''}${counts.skip ? `, ${counts.skip} skipped` : ''} ` +
        `in ${seconds.toFixed(1)} s`,
    ],
  };
  await emitReport(out, report, reporterOf(flags), flags.output);
  return counts.fail ? 1 : 0;
}
