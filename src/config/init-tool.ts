import { parseParameterPairs } from './custom-parameters-input.js';
import type { Config } from './types.js';
import type { CheckResult } from '../core/result.js';
import { describeParameter, knownParameter } from '../inspera/custom-parameters.js';
import type { TenantAddress } from '../inspera/domain.js';
import { toolUrlsFor } from '../inspera/urls.js';
import { moodleChecklist, type ChecklistItem } from '../moodle/checklist.js';
import { insperaRecommendedSettings, type LaunchContainer } from '../moodle/settings.js';
import { adviseOnSettings } from '../moodle/settings-advice.js';
import type { SiteUrl } from '../moodle/site-url.js';
import { endpointsFor } from '../moodle/tool-details.js';

/** The custom parameters init prescribes when none are given. */
export const RECOMMENDED_CUSTOM = [
  'enroll_candidates=true',
  'skip_incomplete_members=true',
  'use_template_on_create=true',
];

/** What init is given: the tenant and the Moodle (parsed), the choices, and the config it changes. */
export interface InitRequest {
  tenant: TenantAddress;
  site?: SiteUrl;
  name?: string;
  /** name=value pairs; the recommended ones when not given. */
  customPairs?: string[];
  launchContainer?: LaunchContainer;
  allowInsecure: boolean;
  allowIdn: boolean;
  /** The config there was (its values are the defaults, and kept), with its text for an edit in place. */
  before?: { config: Config; text: string | undefined };
  /** Where to save, or nothing for a dry run; `unreadable`: the file there could not be read (replaced whole). */
  save?: { path: string; unreadable: boolean; force: boolean };
}

export interface InitResult {
  config: Config;
  /** Moodle's "Configure a tool manually" form, field by field, in its order and with its labels. */
  checklist: ChecklistItem[];
  warnings: string[];
  advice: CheckResult[];
  explained: Array<{ name: string; meaning: string }>;
  saved?: { path: string; outcome: string; backup?: string };
}

/**
 * init: the values Moodle needs for an Inspera tenant — the config, the form's checklist, what the custom parameters
 * do, advice on the settings — saved into the config (only what init sets changes; the rest, its comments and order,
 * stay).
 */
export async function initTool(request: InitRequest): Promise<InitResult> {
  const { tenant, site, launchContainer, allowInsecure, allowIdn } = request;
  const before = request.before?.config;
  const name = request.name;
  const customPairs = request.customPairs;
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

  let saved: InitResult['saved'];
  if (request.save) {
    const [{ renderConfigYaml, hasInlineSecrets }, { updateConfigFile }] = await Promise.all([
      import('./write.js'),
      import('./update.js'),
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
    const { path, unreadable, force } = request.save;
    saved = unreadable
      ? await (await import('./write.js')).saveConfig(path, config, { force: true })
      : await updateConfigFile(path, request.before?.text, changes, () => renderConfigYaml(config), {
          mode: hasInlineSecrets(config) ? 0o600 : 0o644,
          ...(force ? {} : { forceFlag: '--force' }),
        });
  }

  return {
    config,
    checklist: moodleChecklist(config.tool!, moodle),
    warnings,
    advice,
    explained,
    ...(saved ? { saved } : {}),
  };
}
