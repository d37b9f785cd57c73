import type { LAUNCH_CONTAINERS } from '../../moodle/settings.js';
import type { ConfigWriteFlags } from '../flags.js';
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { loadConfig } from '../../config/load.js';
import { InsperaLtiError } from '../../errors.js';
import { parseTenant } from '../../inspera/domain.js';
import { RECOMMENDED_CUSTOM } from '../../config/init-tool.js';
import { parseMoodleSiteUrl } from '../../moodle/site-url.js';
import { createOutput } from '../output.js';

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
  const { initTool } = await import('../../config/init-tool.js');
  const result = await initTool({
    tenant,
    ...(site ? { site } : {}),
    ...(name !== undefined ? { name } : {}),
    ...(customPairs ? { customPairs } : {}),
    ...(launchContainer ? { launchContainer } : {}),
    allowInsecure,
    allowIdn,
    ...(existing ? { before: { config: existing.config, text: existing.text } } : {}),
    ...(flags.dryRun ? {} : { save: { path, unreadable, force: flags.force === true } }),
  });
  if (flags.apply) {
    const { applyAfterInit } = await import('./init-apply.js');
    return applyAfterInit(out, flags, result.config, site?.wwwroot);
  }
  const { presentInit } = await import('../render/init.js');
  return presentInit(out, result, { tenant: tenant.domain, site: site?.wwwroot });
}

function whyNotInteractive(flags: InitFlags, env: NodeJS.ProcessEnv): string {
  if (flags.json) return '--json given';
  if (flags.yes) return '--yes given';
  if (env.CI) return 'CI is set';
  return 'stdin is not a terminal';
}
