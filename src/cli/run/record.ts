import type { ConfigWriteFlags } from '../flags.js';
import { relative } from 'node:path';
import type { CheckResult } from '../../core/result.js';
import { loadConfig } from '../../config/load.js';
import { InsperaLtiError } from '../../errors.js';
import { printable } from '../../util/printable.js';
import { lintToolDetails } from '../../moodle/lint-tool-details.js';
import { countMistakes, repairToolDetails, type Repair } from '../../moodle/repair-tool-details.js';
import { readToolDetailsText, type DetailSource } from '../../moodle/parse-tool-details.js';
import type { ListedTool } from '../../moodle/admin/stored-tools.js';
import {
  ENDPOINT_KEYS,
  TOOL_DETAIL_KEYS,
  TOOL_DETAIL_LABELS,
  endpointsFor,
  type ToolDetails,
} from '../../moodle/tool-details.js';
import { configSavePath, explicitConfigPath } from '../config-path.js';
import { createOutput, type Output } from '../output.js';
import { readStdin, readTextInput } from '../read-input.js';
import { renderFix } from '../render/results.js';

export interface RecordFlags extends ConfigWriteFlags {
  platformId?: string;
  clientId?: string;
  deploymentId?: string;
  keysetUrl?: string;
  tokenUrl?: string;
  authUrl?: string;
  fromFile?: string;
  /** Apply the corrections of trivial copy damage without asking. */
  fix?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  fromMoodle?: boolean;
  moodleUrl?: string;
  moodleUser?: string;
  passwordFile?: string;
  toolId?: string;
  timeout?: string;
}

const EVIDENCE: Record<DetailSource['by'], string> = {
  label: "by Moodle's label",
  shape: "by the value's shape",
  order: 'by its place in the dialog (Client ID before Deployment ID)',
};

const FLAG_FOR: Record<keyof ToolDetails, string> = {
  platformId: '--platform-id',
  clientId: '--client-id',
  deploymentId: '--deployment-id',
  publicKeysetUrl: '--keyset-url',
  accessTokenUrl: '--token-url',
  authRequestUrl: '--auth-url',
};

function definedOnly(values: Partial<Record<keyof ToolDetails, string | undefined>>): Partial<ToolDetails> {
  return Object.fromEntries(
    Object.entries(values).filter(([, v]) => v !== undefined && v !== ''),
  ) as Partial<ToolDetails>;
}

/** What init --apply hands record: the six values it read back in its own session, and where its output goes. */
export interface RecordFromApply {
  six: { values: Partial<ToolDetails>; name: string };
  out?: Output;
}

export async function runRecord(
  flags: RecordFlags,
  env: NodeJS.ProcessEnv = process.env,
  fromApply?: RecordFromApply,
): Promise<number> {
  const out =
    fromApply?.out ??
    createOutput({
      color: flags.color,
      json: flags.json,
      yes: flags.yes,
      quiet: flags.quiet,
      verbose: flags.verbose,
    });
  const loaded = await loadConfig({ configPath: explicitConfigPath(flags.config, env) });
  const allowInsecure = flags.allowInsecure === true || loaded.config.allowInsecure;
  const allowIdn = flags.allowIdn === true || loaded.config.allowIdn;

  const fromFlags = definedOnly({
    platformId: flags.platformId,
    clientId: flags.clientId,
    deploymentId: flags.deploymentId,
    publicKeysetUrl: flags.keysetUrl,
    accessTokenUrl: flags.tokenUrl,
    authRequestUrl: flags.authUrl,
  });
  const fromEnv = definedOnly({
    platformId: env.INSPERA_LTI_PLATFORM_ID,
    clientId: env.INSPERA_LTI_CLIENT_ID,
    deploymentId: env.INSPERA_LTI_DEPLOYMENT_ID,
  });
  let fromText: Partial<ToolDetails> = {};
  let textSources: Partial<Record<keyof ToolDetails, DetailSource>> = {};
  let textName = 'the text';
  const noFlags = Object.keys(fromFlags).length === 0;
  const moodleFlag = [
    flags.moodleUrl && '--moodle-url',
    flags.moodleUser && '--moodle-user',
    flags.toolId && '--tool-id',
    flags.passwordFile && '--password-file',
    flags.timeout && '--timeout',
  ].find(Boolean);
  if (moodleFlag && !flags.fromMoodle)
    throw new InsperaLtiError(
      'USAGE',
      `${moodleFlag} is for reading the values from Moodle`,
      'add --from-moodle (or drop the flag)',
    );
  if (flags.fromMoodle && (flags.fromFile !== undefined || !noFlags))
    throw new InsperaLtiError(
      'USAGE',
      '--from-moodle reads all six values from Moodle; the values given too would be ignored',
      'use --from-moodle alone, or the flags / --from-file without it',
    );
  if (fromApply) {
    ({ values: fromText, name: textName } = fromApply.six);
  } else if (flags.fromMoodle) {
    ({ values: fromText, name: textName } = await sixFromMoodle(out, flags, loaded.config));
  } else if (flags.fromFile !== undefined) {
    textName = flags.fromFile === '-' ? 'standard input' : flags.fromFile;
    ({ values: fromText, sources: textSources } = readToolDetailsText(
      await readTextInput(flags.fromFile, '--from-file'),
      textName,
    ));
  } else if (noFlags && !process.stdin.isTTY) {
    const text = await readStdin();
    textName = 'standard input';
    if (text.trim() !== '') ({ values: fromText, sources: textSources } = readToolDetailsText(text, textName));
  } else if (noFlags && out.interactive) {
    const { askToolDetails } = await import('../prompts/record-prompts.js');
    fromText = await askToolDetails({ ...loaded.config.platform, ...fromEnv }, { allowInsecure, allowIdn });
    textName = 'the prompts';
  }

  const given = { ...fromEnv, ...fromText, ...fromFlags };
  if (Object.keys(given).length === 0) {
    throw new InsperaLtiError(
      'MISSING_FLAG',
      'no Tool configuration details given',
      'pass --platform-id, --client-id and --deployment-id, pipe the ' +
        'text copied from Moodle\'s "Tool configuration details", or use ' +
        '--from-file <file>',
    );
  }
  const values: Partial<ToolDetails> = { ...loaded.config.platform, ...given };
  if (given.platformId !== undefined) {
    const derived = endpointsFor(given.platformId.trim());
    for (const key of ENDPOINT_KEYS) if (given[key] === undefined) values[key] = derived[key];
  }
  if (out.detail === 'verbose') {
    const origin = (key: keyof ToolDetails): string => {
      if (fromFlags[key] !== undefined) return `from ${FLAG_FOR[key]}`;
      const read = textSources[key];
      if (fromText[key] !== undefined)
        return read ? `from ${textName} line ${read.line}, ${EVIDENCE[read.by]}` : `from ${textName}`;
      if (fromEnv[key] !== undefined) return 'from the environment';
      if (given.platformId !== undefined && (ENDPOINT_KEYS as readonly string[]).includes(key))
        return 'derived from the Platform ID, as Moodle derives it';
      return values[key] !== undefined ? 'kept from the config' : 'not given';
    };
    for (const key of TOOL_DETAIL_KEYS) out.log(`${TOOL_DETAIL_LABELS[key]}: ${origin(key)}`);
  }
  const missing = TOOL_DETAIL_KEYS.filter((key) => values[key] === undefined);
  if (missing.length) {
    throw new InsperaLtiError(
      'MISSING_FLAG',
      `missing ${missing.map((k) => TOOL_DETAIL_LABELS[k]).join(', ')}`,
      `pass ${missing.map((k) => FLAG_FOR[k]).join(', ')} ` +
        `or include ${missing.length > 1 ? 'those lines' : 'that line'} ` +
        `in the copied text`,
    );
  }

  let findings = lintToolDetails(values, { allowInsecure, allowIdn });
  let failures = findings.filter((f) => f.status === 'fail');
  let repairs: Repair[] = [];
  if (failures.length) {
    // Copy damage alone (spaces, a trailing slash) is offered as a fix rather than refused.
    const repaired = repairToolDetails(values);
    const mended = lintToolDetails(repaired.values, { allowInsecure, allowIdn });
    const onlyDamage = repaired.repairs.length > 0 && !mended.some((f) => f.status === 'fail');
    report(out, values as ToolDetails, findings, undefined);
    if (onlyDamage) {
      showRepairs(out, repaired.repairs);
      const apply =
        flags.fix === true ||
        (out.interactive &&
          (await (await import('@inquirer/prompts')).confirm({ message: 'Apply these corrections?', default: true })));
      if (apply) {
        Object.assign(values, repaired.values);
        repairs = repaired.repairs;
        findings = mended;
        failures = [];
      }
    }
    if (failures.length) {
      const failingKeys = new Set(
        TOOL_DETAIL_KEYS.filter((key) => failures.some((f) => f.id.startsWith(`platform.${key}.`))),
      );
      const mistakes = countMistakes(values, failingKeys);
      if (out.json) out.emitJson({ ok: false, saved: false, platform: values, findings, repairs: repaired.repairs });
      say(
        out,
        `inspera-lti: ${mistakes} value${mistakes > 1 ? 's are' : ' is'} wrong — nothing was saved; ` +
          (onlyDamage
            ? 'run record again with --fix to apply the corrections shown'
            : `fix ${mistakes > 1 ? 'them' : 'it'} and run record again`),
      );
      return 2;
    }
  }

  let saved: { path: string; outcome: string; backup?: string } | undefined;
  if (!flags.dryRun) {
    const [{ renderConfigYaml, hasInlineSecrets }, { updateConfigFile, usesDetailsSection }, { DETAILS_SECTION }] =
      await Promise.all([
        import('../../config/write.js'),
        import('../../config/update.js'),
        import('../../config/sections.js'),
      ]);
    const inPlace = loaded.filepath && !loaded.filepath.endsWith('package.json') ? loaded.filepath : undefined;
    const path = inPlace ?? (await configSavePath(flags.config));
    const config = { ...loaded.config, allowInsecure, allowIdn, platform: values };
    // Only the six values (and allowInsecure) change; the rest of the file, its comments and order, stay.
    const labels = await usesDetailsSection(inPlace ? loaded.text : undefined, DETAILS_SECTION);
    const changes = TOOL_DETAIL_KEYS.map((key) => ({
      path: labels ? [DETAILS_SECTION, TOOL_DETAIL_LABELS[key]] : ['platform', key],
      value: values[key],
    }));
    if (allowInsecure && !loaded.config.allowInsecure)
      changes.push({ path: ['allowInsecure'], value: true as unknown as string });
    if (allowIdn && !loaded.config.allowIdn) changes.push({ path: ['allowIdn'], value: true as unknown as string });
    saved =
      flags.force && inPlace === undefined
        ? await (await import('../../config/write.js')).saveConfig(path, config, { force: true })
        : await updateConfigFile(path, inPlace ? loaded.text : undefined, changes, () => renderConfigYaml(config), {
            mode: hasInlineSecrets(config) ? 0o600 : 0o644,
          });
  }
  if (out.json) {
    out.emitJson({
      ok: true,
      saved: saved ? { path: saved.path, outcome: saved.outcome, backup: saved.backup ?? null } : null,
      platform: values,
      findings,
      repairs,
    });
    return 0;
  }
  if (repairs.length) out.print('Saved with the corrections:');
  report(out, values as ToolDetails, findings, saved);
  return 0;
}

/** The outcome of a record: said even with --quiet. */
function say(out: Output, line: string): void {
  out.stderr.write(`${line}\n`);
}

/** The six values of the tenant's tool (or --tool-id's) exactly as Moodle's dialog shows them. */
async function sixFromMoodle(
  out: Output,
  flags: RecordFlags,
  config: Awaited<ReturnType<typeof loadConfig>>['config'],
): Promise<{ values: Partial<ToolDetails>; name: string }> {
  const { readMoodleTools } = await import('../moodle-tools.js');
  const reading = await readMoodleTools(out, flags, config);
  if (reading.stored.length !== 1)
    throw new InsperaLtiError(
      'CHECK_FAILED',
      reading.stored.length === 0
        ? `Moodle ${reading.wwwroot} has no LTI tool on ${config.tool?.domain}: nothing to record`
        : `Moodle ${reading.wwwroot} has ${reading.stored.length} tools on ${config.tool?.domain} ` +
            `(ids ${reading.stored.map((t) => t.id).join(', ')})`,
      reading.stored.length === 0
        ? 'set the tool up in Moodle first (the values: inspera-lti init), or choose one with --tool-id N'
        : 'choose one with --tool-id N (and keep only one: doctor --moodle says why)',
    );
  return dialogValues(reading.listed.find((t) => t.id === reading.stored[0]!.id)!);
}

/** The six values as the tool's "Tool configuration details" dialog shows them (its card's data). */
export function dialogValues(listed: ListedTool): { values: Partial<ToolDetails>; name: string } {
  return {
    name: `Moodle's dialog for tool ${listed.id}`,
    values: {
      platformId: listed.platformid,
      clientId: listed.clientid ?? undefined,
      deploymentId: String(listed.deploymentid),
      publicKeysetUrl: listed.urls.publickeyset,
      accessTokenUrl: listed.urls.accesstoken,
      authRequestUrl: listed.urls.authrequest,
    },
  };
}

function showRepairs(out: Output, repairs: Repair[]): void {
  if (out.json) return;
  const s = out.style;
  out.print();
  out.print('Only copy damage — the corrected values:');
  for (const repair of repairs)
    out.print(
      `  ${TOOL_DETAIL_LABELS[repair.key]}: ${s.cyan(printable(repair.now, 300))}` +
        ` (was ${JSON.stringify(printable(repair.was, 300))}: ${repair.damage.join(', ')})`,
    );
}

function report(
  out: Output,
  values: ToolDetails,
  findings: CheckResult[],
  saved: { path: string; outcome: string; backup?: string } | undefined,
): void {
  if (out.json) return;
  const s = out.style;
  const width = Math.max(...TOOL_DETAIL_KEYS.map((k) => TOOL_DETAIL_LABELS[k].length)) + 2;
  for (const key of TOOL_DETAIL_KEYS) {
    const own = findings.filter((f) => f.id.startsWith(`platform.${key}.`));
    const failed = own.some((f) => f.status === 'fail');
    if (out.detail === 'quiet' && !failed) continue;
    const mark = failed ? s.red('✖') : own.length ? s.yellow('!') : s.green('✔');
    out.print(`${mark} ${(TOOL_DETAIL_LABELS[key] + ':').padEnd(width)}${printable(values[key] ?? '', 300)}`);
    for (const finding of own) {
      if (out.detail === 'quiet' && finding.status !== 'fail') continue;
      const said = printable(finding.finding, 500);
      out.print(`    ${finding.status === 'fail' ? s.red(said) : s.yellow(said)}`);
      for (const line of renderFix(finding, s)) out.print(`    ${line}`);
    }
  }
  if (saved) {
    const shown = relative(process.cwd(), saved.path) || saved.path;
    say(
      out,
      saved.outcome === 'unchanged'
        ? `config ${shown} already holds these values`
        : `saved to ${shown}` +
            (saved.backup ? ` (previous version kept as ${relative(process.cwd(), saved.backup)})` : ''),
    );
    out.log('next: send these six values to Inspera support — `inspera-lti export` writes the hand-off sheet');
  }
}
