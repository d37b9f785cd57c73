import { relative } from 'node:path';
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
import type { InitFlags } from '../commands/init.js';
import { createOutput } from '../output.js';
import { renderChecklist } from '../render/checklist.js';

export const RECOMMENDED_CUSTOM = ['enroll_candidates=true', 'skip_incomplete_members=true', 'use_template_on_create=true'];

export async function runInit(flags: InitFlags, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const out = createOutput({ color: flags.color, json: flags.json, yes: flags.yes });
  const allowInsecure = flags.allowInsecure === true;
  let domainInput = flags.domain ?? (env.INSPERA_LTI_DOMAIN || undefined);
  let moodleUrlInput = flags.moodleUrl ?? (env.INSPERA_LTI_MOODLE_URL || undefined);
  let name = flags.name;
  let customPairs = flags.custom;
  let launchContainer = flags.launchContainer;

  if (out.interactive) {
    const need = [
      ...(domainInput === undefined ? ['domain' as const] : []),
      ...(moodleUrlInput === undefined ? ['moodleUrl' as const] : []),
      ...(name === undefined ? ['name' as const] : []),
      ...(customPairs === undefined ? ['customText' as const] : []),
      ...(launchContainer === undefined ? ['launchContainer' as const] : []),
    ];
    if (need.length) {
      const { askInit } = await import('../prompts/init-prompts.js');
      const answers = await askInit({ need, customText: RECOMMENDED_CUSTOM.join(' ') }, allowInsecure);
      domainInput ??= answers.domain;
      moodleUrlInput ??= answers.moodleUrl?.trim() || undefined;
      name ??= answers.name;
      if (answers.customText !== undefined) customPairs = answers.customText.split(/\s+/).filter(Boolean);
      launchContainer ??= answers.launchContainer;
    }
  } else if (domainInput === undefined) {
    throw new InsperaLtiError('MISSING_FLAG', 'missing --domain (not prompting: ' + whyNotInteractive(flags, env) + ')',
      'pass the Inspera tenant, e.g. --domain university.inspera.com');
  }

  const tenant = parseTenant(domainInput!, { allowInsecure, source: flags.domain !== undefined || out.interactive ? '--domain' : 'INSPERA_LTI_DOMAIN' });
  const site = moodleUrlInput ? parseMoodleSiteUrl(moodleUrlInput, { allowInsecure }) : undefined;
  const customParameters = parseParameterPairs(customPairs ?? RECOMMENDED_CUSTOM, '--custom');
  const moodle = insperaRecommendedSettings();
  if (launchContainer) moodle.launchContainer = launchContainer;

  const config: Config = {
    allowInsecure,
    tool: {
      domain: tenant.domain,
      scheme: tenant.scheme,
      name: (name ?? 'Inspera').trim() || 'Inspera',
      templates: {},
      urls: toolUrlsFor(tenant.domain, tenant.scheme),
      customParameters,
    },
    platform: site ? { platformId: site.wwwroot, ...endpointsFor(site.wwwroot) } : {},
    moodle,
    keys: {},
    checks: { skip: [] },
  };

  const warnings = [...tenant.warnings, ...(site?.warnings ?? [])];
  for (const [paramName, value] of Object.entries(customParameters)) {
    for (const note of describeParameter(paramName, value, { nrps: moodle.services.nrps })) warnings.push(`custom parameter ${note.message}`);
  }
  const advice = adviseOnSettings(config);
  const explained = Object.keys(customParameters).map((parameter) => ({ name: parameter, meaning: knownParameter(parameter)?.meaning ?? 'not a parameter Inspera documents' }));

  let saved: { path: string; outcome: string; backup?: string } | undefined;
  if (!flags.dryRun) {
    const [{ saveConfig }, { configSavePath }] = await Promise.all([import('../../config/write.js'), import('../config-path.js')]);
    const path = await configSavePath(flags.config);
    saved = await saveConfig(path, config, { force: flags.force === true });
  }

  const checklist = moodleChecklist(config.tool!, moodle);
  if (out.json) {
    out.emitJson({
      ok: true,
      tool: { domain: tenant.domain, name: config.tool!.name, urls: config.tool!.urls, customParameters, customParametersExplained: explained },
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
  out.print(s.bold('Then:') + ' save the tool, open its "View configuration details" and run ' + s.cyan('inspera-lti record') + ' with the six values it shows.');
  if (saved) {
    const shown = relative(process.cwd(), saved.path) || saved.path;
    out.log(saved.outcome === 'unchanged' ? `config ${shown} already up to date` :
      saved.outcome === 'replaced' ? `saved ${shown} (previous version kept as ${relative(process.cwd(), saved.backup!)})` : `saved ${shown}`);
  }
  return 0;
}

function whyNotInteractive(flags: InitFlags, env: NodeJS.ProcessEnv): string {
  if (flags.json) return '--json given';
  if (flags.yes) return '--yes given';
  if (env.CI) return 'CI is set';
  return 'stdin is not a terminal';
}
