import { TOOL_DETAIL_KEYS, TOOL_DETAIL_LABELS } from '../moodle/tool-details.js';
import { DETAILS_SECTION, SECRET_MARKER } from './sections.js';
import type { Config, ToolConfig } from './types.js';

/** The tool section: what was chosen, plus either the template overrides (config) or the URLs in force (export). */
function toolSection(tool: ToolConfig, urls: 'templates' | 'urls'): Record<string, unknown> {
  return {
    domain: tool.domain,
    ...(tool.scheme === 'http' ? { scheme: 'http' } : {}),
    name: tool.name,
    ...(urls === 'urls'
      ? { urls: tool.urls }
      : Object.keys(tool.templates).length
        ? { templates: tool.templates }
        : {}),
    customParameters: tool.customParameters,
  };
}

/** The config as it is saved: only what was chosen (URLs stay derived from domain and templates). */
export function toConfigDocument(config: Config): Record<string, unknown> {
  const document: Record<string, unknown> = {};
  if (config.allowInsecure) document.allowInsecure = true;
  if (config.allowIdn) document.allowIdn = true;
  if (config.tool) document.tool = toolSection(config.tool, 'templates');
  if (Object.keys(config.platform).length) document.platform = { ...config.platform };
  document.moodle = config.moodle;
  if (config.keys.platform || config.keys.tool) document.keys = config.keys;
  if (config.checks.skip.length) document.checks = config.checks;
  return document;
}

/**
 * The hand-off sheet for Inspera support: the six values first under Moodle's labels, then the tool URLs in force,
 * then everything else. It is itself a valid config. Private keys are replaced by a marker unless asked for.
 */
export function toExportDocument(config: Config, options: { includeSecrets?: boolean } = {}): Record<string, unknown> {
  const details: Record<string, string | null> = {};
  for (const key of TOOL_DETAIL_KEYS) details[TOOL_DETAIL_LABELS[key]] = config.platform[key] ?? null;
  const document: Record<string, unknown> = { [DETAILS_SECTION]: details };
  if (config.allowInsecure) document.allowInsecure = true;
  if (config.allowIdn) document.allowIdn = true;
  if (config.tool) document.tool = toolSection(config.tool, 'urls');
  document.moodle = config.moodle;
  if (config.keys.platform || config.keys.tool) {
    document.keys = options.includeSecrets ? config.keys : redactKeys(config.keys);
  }
  if (config.checks.skip.length) document.checks = config.checks;
  return document;
}

function redactKeys(keys: Config['keys']): Config['keys'] {
  const out: Config['keys'] = {};
  for (const side of ['platform', 'tool'] as const) {
    const key = keys[side];
    if (!key) continue;
    // Where the key lives on this machine (a local path) is nobody else's business: only its kid, and that it exists.
    out[side] = { ...(key.kid !== undefined ? { kid: key.kid } : {}), privateKeyPem: SECRET_MARKER };
  }
  return out;
}
