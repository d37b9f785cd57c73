import type { ConfigWriteFlags } from '../flags.js';
import { loadConfig } from '../../config/load.js';
import { InsperaLtiError } from '../../errors.js';
import { readToolDetailsText, type DetailSource } from '../../moodle/parse-tool-details.js';
import { TOOL_DETAIL_LABELS, type ToolDetails } from '../../moodle/tool-details.js';
import { configSavePath, explicitConfigPath } from '../config-path.js';
import { createOutput } from '../output.js';
import { readStdin, readTextInput } from '../read-input.js';
import { askToRepair, FLAG_FOR, originLines, presentRecord } from '../render/record.js';
import { missingDetails, recordToolDetails, valuesOf } from '../../config/record-details.js';

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

function definedOnly(values: Partial<Record<keyof ToolDetails, string | undefined>>): Partial<ToolDetails> {
  return Object.fromEntries(
    Object.entries(values).filter(([, v]) => v !== undefined && v !== ''),
  ) as Partial<ToolDetails>;
}

export async function runRecord(flags: RecordFlags, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const out = createOutput({
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
  if (flags.fromMoodle) {
    const [{ readMoodleTools }, { dialogOfTheTool }] = await Promise.all([
      import('../moodle-tools.js'),
      import('../../moodle/admin/read-stored-tools.js'),
    ]);
    ({ values: fromText, name: textName } = dialogOfTheTool(
      await readMoodleTools(out, flags, loaded.config),
      loaded.config.tool?.domain,
    ));
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
  const values = valuesOf({ given, loaded });
  if (out.detail === 'verbose')
    for (const line of originLines({ fromFlags, fromEnv, fromText, textSources, textName, values, given }))
      out.log(line);
  const missing = missingDetails({ given, loaded });
  if (missing.length) {
    throw new InsperaLtiError(
      'MISSING_FLAG',
      `missing ${missing.map((k) => TOOL_DETAIL_LABELS[k]).join(', ')}`,
      `pass ${missing.map((k) => FLAG_FOR[k]).join(', ')} ` +
        `or include ${missing.length > 1 ? 'those lines' : 'that line'} ` +
        `in the copied text`,
    );
  }
  const result = await recordToolDetails(
    {
      given,
      loaded,
      allowInsecure,
      allowIdn,
      savePath: () => configSavePath(flags.config),
      ...(flags.dryRun ? { dryRun: true } : {}),
      ...(flags.force ? { force: true } : {}),
    },
    { applyRepairs: askToRepair(out, flags.fix) },
  );
  return presentRecord(out, result);
}
