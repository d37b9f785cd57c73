import { describeParameter } from '../inspera/custom-parameters.js';
import { parseTenant } from '../inspera/domain.js';
import { toolUrlsFor, type ToolUrlTemplates } from '../inspera/urls.js';
import {
  AGS_LEVELS,
  LAUNCH_CONTAINERS,
  PRIVACY_OPTIONS,
  TOOL_CONFIGURATION_USAGE,
  insperaRecommendedSettings,
  type AgsLevel,
  type LaunchContainer,
  type MoodleSettings,
  type PrivacyChoice,
  type ToolConfigurationUsage,
} from '../moodle/settings.js';
import { TOOL_DETAIL_KEYS, TOOL_DETAIL_LABELS, type ToolDetails } from '../moodle/tool-details.js';
import { parseParameterPairs } from './custom-parameters-input.js';
import { VALIDATE_CHECK_IDS } from './check-ids.js';
import { closest } from '../util/suggest.js';
import { ConfigReader } from './reader.js';
import { DETAILS_SECTION, SECRET_MARKER } from './sections.js';
import type { Config, KeyConfig, ToolConfig } from './types.js';

const TOP_KEYS = ['allowInsecure', 'allowIdn', 'tool', 'platform', 'moodle', 'keys', 'checks', DETAILS_SECTION];
const TEMPLATE_KEYS = ['keysetUrl', 'loginInitUrl', 'toolUrl', 'redirectUrls'] as const;

export interface ParsedConfig {
  config: Config;
  warnings: string[];
}

/** Validate untrusted data (a parsed YAML/JSON document) into a Config, naming the exact path of any problem. */
export function parseConfig(raw: unknown, source: string): ParsedConfig {
  const read = new ConfigReader(source);
  const top = read.object(raw, '', TOP_KEYS);
  const allowInsecure = read.boolean(top.allowInsecure, 'allowInsecure', false);
  const allowIdn = read.boolean(top.allowIdn, 'allowIdn', false);
  const warnings: string[] = [];
  const moodle = parseMoodle(read, top.moodle);
  const tool =
    top.tool === undefined || top.tool === null
      ? undefined
      : parseTool(read, top.tool, { allowInsecure, allowIdn }, moodle, warnings);
  const platform = parsePlatform(read, top.platform, top[DETAILS_SECTION]);
  const keysRaw = read.object(top.keys, 'keys', ['platform', 'tool']);
  const keys: Config['keys'] = {};
  for (const side of ['platform', 'tool'] as const) {
    if (keysRaw[side] !== undefined) keys[side] = parseKey(read, keysRaw[side], `keys.${side}`);
  }
  const checksRaw = read.object(top.checks, 'checks', ['skip']);
  const skip = read.stringList(checksRaw.skip, 'checks.skip') ?? [];
  skip.forEach((id, index) => {
    if (!(VALIDATE_CHECK_IDS as readonly string[]).includes(id)) {
      const guess = closest(id, VALIDATE_CHECK_IDS);
      read.fail(
        `checks.skip[${index}]`,
        `is ${JSON.stringify(id)}, not a check id`,
        guess ? `did you mean "${guess}"?` : `check ids: ${VALIDATE_CHECK_IDS.join(', ')}`,
      );
    }
  });
  read.finish();
  return { config: { allowInsecure, allowIdn, tool, platform, moodle, keys, checks: { skip } }, warnings };
}

function parseTool(
  read: ConfigReader,
  value: unknown,
  allows: { allowInsecure: boolean; allowIdn: boolean },
  moodle: MoodleSettings,
  warnings: string[],
): ToolConfig | undefined {
  const raw = read.object(value, 'tool', ['domain', 'scheme', 'name', 'templates', 'urls', 'customParameters']);
  const domainText = read.string(raw.domain, 'tool.domain');
  const scheme = read.choice(raw.scheme, 'tool.scheme', ['https', 'http'] as const, 'https');
  if (domainText === undefined) {
    if (raw.domain === undefined)
      read.fail('tool.domain', 'is missing', 'add the Inspera tenant host, e.g. "domain: university.inspera.com"');
    return undefined;
  }
  let tenant: ReturnType<typeof parseTenant>;
  try {
    tenant = parseTenant(scheme === 'http' ? `http://${domainText}` : domainText, {
      ...allows,
      source: `${read.source}: tool.domain`,
    });
  } catch (error) {
    read.note(error);
    return undefined;
  }
  warnings.push(...tenant.warnings);
  const templates = parseUrlSet(read, raw.templates, 'tool.templates');
  const overrides = parseUrlSet(read, raw.urls, 'tool.urls');
  const urls = { ...toolUrlsFor(tenant.domain, tenant.scheme, templates), ...overrides };
  for (const [key, value] of Object.entries(urls)) {
    for (const url of Array.isArray(value) ? value : [value]) {
      try {
        const parsed = new URL(url);
        if (!/^https?:$/.test(parsed.protocol)) throw new Error('scheme');
      } catch {
        read.fail(
          `tool.${key in overrides ? 'urls' : 'templates'}.${key}`,
          `gives ${JSON.stringify(url)}, which is not an http(s) URL`,
          'write a full URL such as https://{domain}/ltiprovider/init',
        );
      }
    }
  }
  const customParameters = parseCustomParameters(read, raw.customParameters);
  for (const [name, paramValue] of Object.entries(customParameters)) {
    for (const note of describeParameter(name, paramValue, { nrps: moodle.services.nrps }))
      warnings.push(`tool.customParameters: ${note.message}`);
  }
  return {
    domain: tenant.domain,
    scheme: tenant.scheme,
    name: read.string(raw.name, 'tool.name') ?? 'Inspera',
    templates,
    urls,
    customParameters,
  };
}

function parseUrlSet(read: ConfigReader, value: unknown, path: string): Partial<ToolUrlTemplates> {
  const raw = read.object(value, path, TEMPLATE_KEYS);
  const set: Partial<ToolUrlTemplates> = {};
  for (const key of TEMPLATE_KEYS) {
    if (key === 'redirectUrls') {
      const list = read.stringList(raw[key], `${path}.${key}`);
      if (list) set.redirectUrls = list;
    } else {
      const text = read.string(raw[key], `${path}.${key}`);
      if (text !== undefined) set[key] = text;
    }
  }
  return set;
}

function parseCustomParameters(read: ConfigReader, value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  const path = 'tool.customParameters';
  if (typeof value === 'string' || Array.isArray(value)) {
    const lines = read.stringList(value, path) ?? [];
    try {
      return parseParameterPairs(lines, `${read.source}: ${path}`);
    } catch (error) {
      read.note(error);
      return {};
    }
  }
  const raw = read.object(value, path, Object.keys(value as object));
  const parameters: Record<string, string> = {};
  for (const [name, paramValue] of Object.entries(raw)) {
    if (typeof paramValue === 'boolean') parameters[name] = String(paramValue);
    else parameters[name] = read.string(paramValue, `${path}.${name}`) ?? '';
  }
  return parameters;
}

function parsePlatform(read: ConfigReader, value: unknown, labelled: unknown): Partial<ToolDetails> {
  const raw = read.object(value, 'platform', TOOL_DETAIL_KEYS);
  const byLabel = read.object(
    labelled,
    DETAILS_SECTION,
    TOOL_DETAIL_KEYS.map((k) => TOOL_DETAIL_LABELS[k]),
  );
  const platform: Partial<ToolDetails> = {};
  for (const key of TOOL_DETAIL_KEYS) {
    const direct = read.string(raw[key], `platform.${key}`);
    const label = TOOL_DETAIL_LABELS[key];
    const viaLabel = read.string(byLabel[label], `${DETAILS_SECTION}.${label}`);
    if (direct !== undefined && viaLabel !== undefined && direct !== viaLabel) {
      read.fail(
        `platform.${key}`,
        `is ${JSON.stringify(direct)} but "${DETAILS_SECTION}: ${label}" is ${JSON.stringify(viaLabel)}`,
        'keep one of the two',
      );
    }
    const chosen = direct ?? viaLabel;
    if (chosen !== undefined) platform[key] = chosen;
  }
  return platform;
}

function parseMoodle(read: ConfigReader, value: unknown): MoodleSettings {
  const defaults = insperaRecommendedSettings();
  const raw = read.object(value, 'moodle', [
    'services',
    'privacy',
    'launchContainer',
    'toolConfigurationUsage',
    'deepLinking',
  ]);
  const services = read.object(raw.services, 'moodle.services', ['ags', 'nrps', 'toolSettings']);
  const privacy = read.object(raw.privacy, 'moodle.privacy', ['shareName', 'shareEmail', 'acceptGrades']);
  const privacyChoices = Object.keys(PRIVACY_OPTIONS) as PrivacyChoice[];
  return {
    services: {
      ags: read.choice(
        services.ags,
        'moodle.services.ags',
        Object.keys(AGS_LEVELS) as AgsLevel[],
        defaults.services.ags,
      ),
      nrps: read.boolean(services.nrps, 'moodle.services.nrps', defaults.services.nrps),
      toolSettings: read.boolean(services.toolSettings, 'moodle.services.toolSettings', defaults.services.toolSettings),
    },
    privacy: {
      shareName: read.choice(privacy.shareName, 'moodle.privacy.shareName', privacyChoices, defaults.privacy.shareName),
      shareEmail: read.choice(
        privacy.shareEmail,
        'moodle.privacy.shareEmail',
        privacyChoices,
        defaults.privacy.shareEmail,
      ),
      acceptGrades: read.choice(
        privacy.acceptGrades,
        'moodle.privacy.acceptGrades',
        privacyChoices,
        defaults.privacy.acceptGrades,
      ),
    },
    launchContainer: read.choice(
      raw.launchContainer,
      'moodle.launchContainer',
      Object.keys(LAUNCH_CONTAINERS) as LaunchContainer[],
      defaults.launchContainer,
    ),
    toolConfigurationUsage: read.choice(
      raw.toolConfigurationUsage,
      'moodle.toolConfigurationUsage',
      Object.keys(TOOL_CONFIGURATION_USAGE) as ToolConfigurationUsage[],
      defaults.toolConfigurationUsage,
    ),
    deepLinking: read.boolean(raw.deepLinking, 'moodle.deepLinking', defaults.deepLinking),
  };
}

function parseKey(read: ConfigReader, value: unknown, path: string): KeyConfig {
  const raw = read.object(value, path, ['privateKeyFile', 'privateKeyPem', 'kid']);
  const key: KeyConfig = {};
  const file = read.string(raw.privateKeyFile, `${path}.privateKeyFile`);
  const pem = read.string(raw.privateKeyPem, `${path}.privateKeyPem`);
  const kid = read.string(raw.kid, `${path}.kid`);
  if (file !== undefined) key.privateKeyFile = file;
  if (pem !== undefined && pem !== SECRET_MARKER) key.privateKeyPem = pem;
  if (kid !== undefined) key.kid = kid;
  return key;
}
