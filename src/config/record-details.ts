import type { CheckResult } from '../core/result.js';
import { lintToolDetails } from '../moodle/lint-tool-details.js';
import { countMistakes, repairToolDetails, type Repair } from '../moodle/repair-tool-details.js';
import {
  ENDPOINT_KEYS,
  TOOL_DETAIL_KEYS,
  TOOL_DETAIL_LABELS,
  endpointsFor,
  type ToolDetails,
} from '../moodle/tool-details.js';
import type { LoadedConfig } from './types.js';

/** What record is given: the six values as far as they are known, the config they go into, and where to save. */
export interface RecordRequest {
  /** The values given (flags over text over environment), before the config's and Moodle's derivations. */
  given: Partial<ToolDetails>;
  loaded: LoadedConfig & { text: string | undefined };
  allowInsecure: boolean;
  allowIdn: boolean;
  /** Where a config that is not saved in place goes (the face resolves --config and the working directory). */
  savePath: () => Promise<string>;
  dryRun?: boolean;
  force?: boolean;
}

export interface RecordHooks {
  /** Only copy damage was found: may the corrections be applied? (--fix, or a person at a terminal) */
  applyRepairs?: (repairs: Repair[], values: ToolDetails, findings: CheckResult[]) => Promise<boolean>;
}

/** What was recorded, or why nothing was. */
export interface RecordResult {
  ok: boolean;
  /** The six values as checked (and saved, when ok and not a dry run). */
  values: ToolDetails;
  findings: CheckResult[];
  /** The corrections applied (ok), or offered and not applied (not ok). */
  repairs: Repair[];
  /** Whether the refusal was copy damage alone (a --fix would have saved). */
  onlyDamage?: boolean;
  /** How many values are wrong (not ok). */
  mistakes?: number;
  /** Whether the repairs hook was asked (it showed the values and the corrections). */
  asked?: boolean;
  saved?: { path: string; outcome: string; backup?: string };
}

/** A value the request lacks: the six must all be known before anything is checked. */
export function missingDetails(request: Pick<RecordRequest, 'given' | 'loaded'>): Array<keyof ToolDetails> {
  const values = valuesOf(request);
  return TOOL_DETAIL_KEYS.filter((key) => values[key] === undefined);
}

/** The six values: what was given over the config's, the endpoints Moodle derives from a given Platform ID. */
export function valuesOf({ given, loaded }: Pick<RecordRequest, 'given' | 'loaded'>): Partial<ToolDetails> {
  const values: Partial<ToolDetails> = { ...loaded.config.platform, ...given };
  if (given.platformId !== undefined) {
    const derived = endpointsFor(given.platformId.trim());
    for (const key of ENDPOINT_KEYS) if (given[key] === undefined) values[key] = derived[key];
  }
  return values;
}

/**
 * record: the six Tool configuration details checked for the mistakes that break authentication (copy damage alone
 * repaired when the hook allows), then saved into the config — only those values (and allowInsecure/allowIdn)
 * change; the rest of the file, its comments and order stay.
 */
export async function recordToolDetails(request: RecordRequest, hooks: RecordHooks = {}): Promise<RecordResult> {
  const values = valuesOf(request) as ToolDetails;
  const { allowInsecure, allowIdn, loaded } = request;
  let findings = lintToolDetails(values, { allowInsecure, allowIdn });
  let repairs: Repair[] = [];
  if (findings.some((f) => f.status === 'fail')) {
    const repaired = repairToolDetails(values);
    const mended = lintToolDetails(repaired.values, { allowInsecure, allowIdn });
    const onlyDamage = repaired.repairs.length > 0 && !mended.some((f) => f.status === 'fail');
    const asked = onlyDamage && hooks.applyRepairs !== undefined;
    if (!asked || !(await hooks.applyRepairs!(repaired.repairs, values, findings))) {
      const failures = findings.filter((f) => f.status === 'fail');
      const failingKeys = new Set(
        TOOL_DETAIL_KEYS.filter((key) => failures.some((f) => f.id.startsWith(`platform.${key}.`))),
      );
      return {
        ok: false,
        values,
        findings,
        repairs: repaired.repairs,
        onlyDamage,
        mistakes: countMistakes(values, failingKeys),
        asked,
      };
    }
    Object.assign(values, repaired.values);
    repairs = repaired.repairs;
    findings = mended;
  }
  if (request.dryRun) return { ok: true, values, findings, repairs };
  const [
    { renderConfigYaml, hasInlineSecrets, saveConfig },
    { updateConfigFile, usesDetailsSection },
    { DETAILS_SECTION },
  ] = await Promise.all([import('./write.js'), import('./update.js'), import('./sections.js')]);
  const inPlace = loaded.filepath && !loaded.filepath.endsWith('package.json') ? loaded.filepath : undefined;
  const path = inPlace ?? (await request.savePath());
  const config = { ...loaded.config, allowInsecure, allowIdn, platform: values };
  const labels = await usesDetailsSection(inPlace ? loaded.text : undefined, DETAILS_SECTION);
  const changes = TOOL_DETAIL_KEYS.map((key) => ({
    path: labels ? [DETAILS_SECTION, TOOL_DETAIL_LABELS[key]] : ['platform', key],
    value: values[key],
  }));
  if (allowInsecure && !loaded.config.allowInsecure)
    changes.push({ path: ['allowInsecure'], value: true as unknown as string });
  if (allowIdn && !loaded.config.allowIdn) changes.push({ path: ['allowIdn'], value: true as unknown as string });
  const saved =
    request.force && inPlace === undefined
      ? await saveConfig(path, config, { force: true })
      : await updateConfigFile(path, inPlace ? loaded.text : undefined, changes, () => renderConfigYaml(config), {
          mode: hasInlineSecrets(config) ? 0o600 : 0o644,
        });
  return { ok: true, values, findings, repairs, saved };
}
