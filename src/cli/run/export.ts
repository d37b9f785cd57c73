import { readFile } from 'node:fs/promises';
import { basename, relative, resolve } from 'node:path';
import { loadConfig } from '../../config/load.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { toExportDocument } from '../../config/serialize.js';
import type { Config, KeyConfig } from '../../config/types.js';
import { InsperaLtiError } from '../../errors.js';
import { packageVersion } from '../../version.js';
import { explicitConfigPath } from '../config-path.js';
import { createOutput } from '../output.js';

export interface ExportFlags {
  format?: 'yaml' | 'json';
  output?: string;
  includeSecrets?: boolean;
  force?: boolean;
  config?: string;
  color?: boolean;
  json?: boolean;
}

export async function runExport(flags: ExportFlags, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const out = createOutput({ color: flags.color, json: flags.json });
  if (flags.json && flags.format === 'yaml' && flags.output === undefined)
    throw new InsperaLtiError(
      'USAGE',
      '--json prints JSON on stdout; --format yaml asks for YAML there',
      'use one of them (or --output file.yaml --json: the file in YAML, where it was written as JSON)',
    );
  const loaded = await loadConfig({ configPath: explicitConfigPath(flags.config, env), required: true });
  // A sheet without the tenant would be Moodle's values and the defaults: nothing Inspera support can act on.
  if (!loaded.config.tool)
    throw new InsperaLtiError(
      'CONFIG_INCOMPLETE',
      `${relative(process.cwd(), loaded.filepath!) || loaded.filepath!} names no Inspera tenant: ` +
        "the hand-off sheet would hold only Moodle's values and defaults",
      'run `inspera-lti init --domain <tenant> --force` first (it keeps the values you recorded), then export',
    );
  const config = flags.includeSecrets ? await inlineKeyFiles(loaded.config, loaded.filepath!) : loaded.config;
  for (const warning of loaded.warnings) out.warn(warning);
  const document = toExportDocument(config, { includeSecrets: flags.includeSecrets === true });

  // The format follows the file's extension unless --format says otherwise.
  const format =
    flags.format ??
    (flags.output && /\.json$/i.test(flags.output) ? 'json' : flags.json && !flags.output ? 'json' : 'yaml');
  let text: string;
  if (format === 'json') {
    text = JSON.stringify(document, null, 2) + '\n';
  } else {
    const { stringify } = await import('yaml');
    text =
      header(loaded.filepath!, config, flags.includeSecrets === true) +
      stringify(document, { lineWidth: 0, nullStr: '' });
  }
  if (flags.output === undefined) {
    out.stdout.write(text);
    return 0;
  }
  const target = resolve(flags.output);
  // The same content is up to date: only the "Made …" line differs between two exports of one config.
  const previous = await readFile(target, 'utf8').catch(() => undefined);
  const stamp = /^# Made \S+ by /m;
  if (previous !== undefined && format === 'yaml' && previous.replace(stamp, '') === text.replace(stamp, '')) {
    out.log(`already up to date ${relative(process.cwd(), target) || target}`);
    if (flags.json) out.emitJson({ ok: true, output: target, format, outcome: 'unchanged' });
    return 0;
  }
  const written = await writeFileAtomic(target, text, {
    force: flags.force === true,
    mode: flags.includeSecrets && (config.keys.platform || config.keys.tool) ? 0o600 : 0o644,
  });
  out.log(
    `${written.outcome === 'unchanged' ? 'already up to date' : 'wrote'} ` +
      `${relative(process.cwd(), target) || target}` +
      `${written.backup ? ` (previous version kept as ${relative(process.cwd(), written.backup)})` : ''}`,
  );
  if (flags.json)
    out.emitJson({
      ok: true,
      output: target,
      format,
      outcome: written.outcome,
      ...(written.backup ? { backup: written.backup } : {}),
    });
  return 0;
}

function header(source: string, config: Config, includeSecrets: boolean): string {
  const hasKeys = Boolean(config.keys.platform || config.keys.tool);
  return [
    '# inspera-lti hand-off sheet for Inspera support: the LTI 1.3 connection between Moodle and Inspera Assessment.',
    `# Made ${new Date().toISOString()} by inspera-lti ${packageVersion()} from ${basename(source)}.`,
    '# "Tool configuration details" are the six values from Moodle ' +
      '(Site admin > Plugins > External tool > Manage tools >',
    "# View configuration details), under Moodle's own labels. This file is also a valid inspera-lti config.",
    ...(hasKeys
      ? [
          includeSecrets
            ? '# ⚠ It CONTAINS PRIVATE KEYS: send it only over a secure channel.'
            : '# Private keys were left out.',
        ]
      : []),
    '',
  ].join('\n');
}

async function inlineKeyFiles(config: Config, configPath: string): Promise<Config> {
  const keys: Config['keys'] = {};
  for (const side of ['platform', 'tool'] as const) {
    const key = config.keys[side];
    if (!key) continue;
    const copy: KeyConfig = { ...key };
    if (key.privateKeyFile && !key.privateKeyPem) {
      const path = resolve(configPath, '..', key.privateKeyFile);
      copy.privateKeyPem = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
        throw new InsperaLtiError(
          'FILE_UNREADABLE',
          `keys.${side}.privateKeyFile ${path}: ` +
            (error.code === 'ENOENT' ? 'no such file' : `cannot read (${error.code})`),
          'fix the path in the config, or export without --include-secrets',
        );
      });
      delete copy.privateKeyFile;
    }
    keys[side] = copy;
  }
  return { ...config, keys };
}
