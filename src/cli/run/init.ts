import type { LAUNCH_CONTAINERS } from '../../moodle/settings.js';
import type { ConfigWriteFlags } from '../flags.js';
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { loadConfig } from '../../config/load.js';
import { InsperaLtiError } from '../../errors.js';
import { parseParameterPairs } from '../../config/custom-parameters-input.js';
import type { Config } from '../../config/types.js';
import { describeParameter, knownParameter } from '../../inspera/custom-parameters.js';
import { parseTenant } from '../../inspera/domain.js';
import { toolUrlsFor } from '../../inspera/urls.js';
import { MANAGE_TOOLS_PATH, moodleChecklist } from '../../moodle/checklist.js';
import { insperaRecommendedSettings } from '../../moodle/settings.js';
import { adviseOnSettings } from '../../moodle/settings-advice.js';
import { parseMoodleSiteUrl } from '../../moodle/site-url.js';
import { endpointsFor } from '../../moodle/tool-details.js';
import { createOutput } from '../output.js';
import { renderChecklist } from '../render/checklist.js';

export interface InitFlags extends ConfigWriteFlags {
  apply?: boolean;
  moodleUser?: string;
  passwordFile?: string;
  timeout?: string;
  domain?: string;
  moodleUrl?: string;
  name?: string;
  custom?: string[];
  launchContainer?: keyof typeof LAUNCH_CONTAINERS;
  verbose?: boolean;
}

export const RECOMMENDED_CUSTOM = [
  'enroll_candidates=true',
  'skip_incomplete_members=true',
  'use_template_on_create=true',
];

export async function runInit(flags: InitFlags, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const out = createOutput({ color: flags.color, json: flags.json, yes: flags.yes, verbose: flags.verbose });
  const moodleFlag = [
    flags.verbose && '--verbose',
    flags.moodleUser && '--moodle-user',
    flags.passwordFile && '--password-file',
    flags.timeout && '--timeout',
  ].find(Boolean);
  if (moodleFlag && !flags.apply)
    throw new InsperaLtiError('USAGE', `${moodleFlag} is for --apply`, 'add --apply (or drop the flag)');

  // An existing config first (before any question): its values are the defaults, and init changes only what it
  // is asked to, keeping the rest (the six recorded values, checks.skip, tool.templates, comments).
  const { configSavePath } = await import('../config-path.js');
  const path = await configSavePath(flags.config);
  // A config that cannot be read is replaced only with --force (as its error says); its values are then not kept.
  let existing: Awaited<ReturnType<typeof loadConfig>> | undefined;
  let unreadable = false;
  if (existsSync(path)) {
    try {
      existing = await loadConfig({ configPath: path });
    } catch (error) {
      if (!flags.force) throw error;
      unreadable = true;
    }
  }
  const before = existing?.config;
  const allowInsecure = flags.allowInsecure === true || before?.allowInsecure === true;
  const allowIdn = flags.allowIdn === true || before?.allowIdn === true;
  const existingDomain = before?.tool
    ? `${before.tool.scheme === 'http' ? 'http://' : ''}${before.tool.domain}`
    : undefined;
  let domainInput = flags.domain ?? (env.INSPERA_LTI_DOMAIN || undefined) ?? existingDomain;
  let moodleUrlInput = flags.moodleUrl ?? (env.INSPERA_LTI_MOODLE_URL || undefined) ?? before?.platform.platformId;
  let name = flags.name ?? before?.tool?.name;
  let customPairs =
    flags.custom ??
    (before?.tool ? Object.entries(before.tool.customParameters).map(([k, v]) => `${k}=${v}`) : undefined);
  let launchContainer = flags.launchContainer ?? (before ? before.moodle.launchContainer : undefined);

  // Refuse before asking anything, not after: answers to questions would be lost.
  if (existing && out.interactive && !flags.force && !flags.dryRun) {
    throw new InsperaLtiError(
      'FILE_EXISTS',
      `${relative(process.cwd(), path) || path} already exists`,
      'use --force to change it (the recorded values and the rest are ' +
        'kept, a .bak copy is made), or --dry-run to see the checklist',
    );
  }
  if (out.interactive) {
    // A bare `init` is a conversation: every value is asked. Given the tenant (a flag, the environment or the
    // config), the rest have their recommended values and nothing more is asked: the checklist shows them all.
    const conversation = domainInput === undefined;
    const need = [
      ...(conversation ? ['domain' as const] : []),
      ...(conversation && moodleUrlInput === undefined ? ['moodleUrl' as const] : []),
      ...(conversation && name === undefined ? ['name' as const] : []),
      ...(conversation && customPairs === undefined ? ['customText' as const] : []),
      ...(conversation && launchContainer === undefined ? ['launchContainer' as const] : []),
    ];
    if (need.length) {
      const { askInit } = await import('../prompts/init-prompts.js');
      const answers = await askInit({ need, customText: RECOMMENDED_CUSTOM.join(' ') }, { allowInsecure, allowIdn });
      domainInput ??= answers.domain;
      moodleUrlInput ??= answers.moodleUrl?.trim() || undefined;
      name ??= answers.name;
      if (answers.customText !== undefined) customPairs = answers.customText.split(/\s+/).filter(Boolean);
      launchContainer ??= answers.launchContainer;
    }
  } else if (domainInput === undefined) {
    throw new InsperaLtiError(
      'MISSING_FLAG',
      'missing --domain (not prompting: ' + whyNotInteractive(flags, env) + ')',
      'pass the Inspera tenant, e.g. --domain university.inspera.com',
    );
  }

  const tenant = parseTenant(domainInput!, {
    allowInsecure,
    allowIdn,
    source: flags.domain !== undefined || out.interactive ? '--domain' : 'INSPERA_LTI_DOMAIN',
  });
  const site = moodleUrlInput ? parseMoodleSiteUrl(moodleUrlInput, { allowInsecure, allowIdn }) : undefined;
  const customParameters = parseParameterPairs(customPairs ?? RECOMMENDED_CUSTOM, '--custom');
  const moodle = before ? structuredClone(before.moodle) : insperaRecommendedSettings();
  if (launchContainer) moodle.launchContainer = launchContainer;
  const templates = before?.tool?.templates ?? {};
  // The recorded six values win over a --moodle-url: they are what Moodle showed.
  const platform = before?.platform.platformId
    ? before.platform
    : site
      ? { platformId: site.wwwroot, ...endpointsFor(site.wwwroot) }
      : {};

  const config: Config = {
    allowInsecure,
    allowIdn,
    tool: {
      domain: tenant.domain,
      scheme: tenant.scheme,
      name: (name ?? 'Inspera').trim() || 'Inspera',
      templates,
      // The same URLs export sends Inspera support: the templates the config overrides are honoured.
      urls: toolUrlsFor(tenant.domain, tenant.scheme, templates),
      customParameters,
    },
    platform,
    moodle,
    keys: before?.keys ?? {},
    checks: before?.checks ?? { skip: [] },
  };

  const warnings = [...tenant.warnings, ...(site?.warnings ?? [])];
  for (const [paramName, value] of Object.entries(customParameters)) {
    for (const note of describeParameter(paramName, value, { nrps: moodle.services.nrps }))
      warnings.push(`custom parameter ${note.message}`);
  }
  const advice = adviseOnSettings(config);
  const explained = Object.keys(customParameters).map((parameter) => ({
    name: parameter,
    meaning: knownParameter(parameter)?.meaning ?? 'not a parameter Inspera documents',
  }));

  let saved: { path: string; outcome: string; backup?: string } | undefined;
  if (!flags.dryRun) {
    const [{ renderConfigYaml, hasInlineSecrets }, { updateConfigFile }] = await Promise.all([
      import('../../config/write.js'),
      import('../../config/update.js'),
    ]);
    const tool = config.tool!;
    const changes = [
      ...(allowInsecure ? [{ path: ['allowInsecure'], value: true }] : []),
      ...(allowIdn ? [{ path: ['allowIdn'], value: true }] : []),
      { path: ['tool', 'domain'], value: tool.domain },
      { path: ['tool', 'scheme'], value: tool.scheme === 'http' ? 'http' : undefined },
      { path: ['tool', 'name'], value: tool.name },
      { path: ['tool', 'customParameters'], value: tool.customParameters },
      { path: ['moodle', 'launchContainer'], value: moodle.launchContainer },
      ...(!before?.platform.platformId && site
        ? Object.entries(platform).map(([k, v]) => ({ path: ['platform', k], value: v }))
        : []),
    ];
    saved = unreadable
      ? await (await import('../../config/write.js')).saveConfig(path, config, { force: true })
      : await updateConfigFile(path, existing?.text, changes, () => renderConfigYaml(config), {
          mode: hasInlineSecrets(config) ? 0o600 : 0o644,
          ...(flags.force ? {} : { forceFlag: '--force' }),
        });
  }

  if (flags.apply) {
    const { applyAfterInit } = await import('./init-apply.js');
    return applyAfterInit(out, flags, config, site?.wwwroot);
  }
  const checklist = moodleChecklist(config.tool!, moodle);
  if (out.json) {
    out.emitJson({
      ok: true,
      tool: {
        domain: tenant.domain,
        name: config.tool!.name,
        urls: config.tool!.urls,
        customParameters,
        customParametersExplained: explained,
      },
      platform: config.platform,
      moodleForm: { where: MANAGE_TOOLS_PATH, fields: checklist },
      advice,
      warnings,
      config: saved ? { path: saved.path, outcome: saved.outcome, backup: saved.backup ?? null } : null,
    });
    return 0;
  }

  for (const warning of warnings) out.warn(warning);
  const s = out.style;
  out.print(s.bold(`Moodle: ${MANAGE_TOOLS_PATH}`));
  if (site) out.print(`Open ${site.wwwroot}/mod/lti/toolconfigure.php, then "configure a tool manually", and enter:`);
  else out.print('Enter these values in the form:');
  for (const line of renderChecklist(checklist, s)) out.print(line);
  if (explained.length) {
    out.print('');
    out.print(s.bold('What the custom parameters do'));
    for (const { name: parameter, meaning } of explained) out.print(`  ${parameter}: ${s.dim(meaning)}`);
  }
  for (const item of advice) out.warn(`${item.finding} — ${item.fix?.field}: ${item.fix?.value}`);
  out.print('');
  out.print(
    s.bold('Then:') +
      ' save the tool, open its "View configuration details" and run ' +
      s.cyan('inspera-lti record') +
      ' with the six values it shows.',
  );
  if (saved) {
    const shown = relative(process.cwd(), saved.path) || saved.path;
    out.log(
      saved.outcome === 'unchanged'
        ? `config ${shown} already up to date`
        : saved.outcome === 'replaced'
          ? `saved ${shown} (previous version kept as ${relative(process.cwd(), saved.backup!)})`
          : `saved ${shown}`,
    );
  }
  return 0;
}

function whyNotInteractive(flags: InitFlags, env: NodeJS.ProcessEnv): string {
  if (flags.json) return '--json given';
  if (flags.yes) return '--yes given';
  if (env.CI) return 'CI is set';
  return 'stdin is not a terminal';
}
