import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InsperaLtiError } from '../errors.js';
import { printable } from '../util/printable.js';
import { insperaRecommendedSettings } from '../moodle/settings.js';
import { parseConfig } from './parse.js';
import type { Config, LoadedConfig } from './types.js';

const MODULE_NAME = 'inspera-lti';
export const DEFAULT_CONFIG_FILE = 'inspera-lti.yaml';
// A dedicated file wins over the "inspera-lti" key of package.json (cosmiconfig's default order is the reverse).
const SEARCH_PLACES = [
  'inspera-lti.yaml',
  'inspera-lti.yml',
  'inspera-lti.json',
  '.inspera-ltirc',
  '.inspera-ltirc.yaml',
  '.inspera-ltirc.yml',
  '.inspera-ltirc.json',
  'package.json',
];
const MAX_CONFIG_BYTES = 1024 * 1024;

export function emptyConfig(): Config {
  return {
    allowInsecure: false,
    allowIdn: false,
    tool: undefined,
    platform: {},
    moodle: insperaRecommendedSettings(),
    keys: {},
    checks: { skip: [] },
  };
}

/** YAML is a superset of JSON, so one parser (`yaml`) reads every data format we accept. */
/**
 * The parser and toJS recurse: a file nested thousands of levels deep overflows the stack rather than failing at a
 * position.
 */
function nestsTooDeep(filepath: string): InsperaLtiError {
  return new InsperaLtiError(
    'INVALID_CONFIG',
    `${filepath}: the YAML nests deeper than a config does (hundreds of levels)`,
    'a config is a few levels deep; fix or replace the file (inspera-lti init --force)',
  );
}

async function parseYaml(filepath: string, text: string): Promise<unknown> {
  const { parseDocument } = await import('yaml');
  let document: Awaited<ReturnType<typeof parseDocument>>;
  try {
    document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  } catch (error) {
    // The parser recurses: a 50,000-deep file overflows the stack rather than failing at a position.
    if (error instanceof RangeError) throw nestsTooDeep(filepath);
    throw error;
  }
  const error = document.errors[0];
  if (error && /Maximum call stack/i.test(error.message)) throw nestsTooDeep(filepath);
  if (error) {
    const where = error.linePos?.[0] ? ` line ${error.linePos[0].line}, column ${error.linePos[0].col}` : '';
    const message = printable(error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''), 200);
    throw new InsperaLtiError(
      'INVALID_CONFIG',
      `${filepath}${where}: ${message}`,
      'fix the YAML syntax (indentation with spaces, "key: value"), or ' +
        'run `inspera-lti init --force` to write a new file',
    );
  }
  // Aliases are expanded by toJS: an undefined one, or a "billion laughs" of them, is refused as bad input.
  try {
    return document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    if (error instanceof RangeError) throw nestsTooDeep(filepath);
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    throw new InsperaLtiError(
      'INVALID_CONFIG',
      `${filepath}: ${printable(message, 200)}`,
      /alias/i.test(message)
        ? 'remove the YAML aliases (*name): a config needs none'
        : 'fix the YAML, or run `inspera-lti init --force` to write a new file',
    );
  }
}

async function readConfigFile(filepath: string): Promise<string> {
  try {
    const info = await stat(filepath);
    if (info.isDirectory())
      throw new InsperaLtiError(
        'CONFIG_UNREADABLE',
        `${filepath} is a directory, not a config file`,
        'give the path of the YAML file with --config',
      );
    if (!info.isFile())
      throw new InsperaLtiError(
        'CONFIG_UNREADABLE',
        `${filepath} is not a regular file (a pipe, a device or a socket)`,
        'give the path of the YAML file with --config',
      );
    if (info.size > MAX_CONFIG_BYTES)
      throw new InsperaLtiError(
        'CONFIG_UNREADABLE',
        `${filepath} is ${info.size} bytes — too large for a config file`,
        'point --config at the inspera-lti YAML file',
      );
    return await readFile(filepath, 'utf8');
  } catch (error) {
    if (error instanceof InsperaLtiError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new InsperaLtiError(
        'CONFIG_NOT_FOUND',
        `config file ${filepath} does not exist`,
        'check the --config path, or create one with `inspera-lti init --domain <tenant>`',
      );
    }
    throw new InsperaLtiError(
      'CONFIG_UNREADABLE',
      `cannot read config file ${filepath} (${code ?? String(error)})`,
      "check the file's permissions",
    );
  }
}

/**
 * Find the config file: the explicit path, else the first of SEARCH_PLACES in the directory or the nearest folder above
 * it, up to the project root (the first folder holding a package.json) — cosmiconfig's "project" search.
 */
export async function findConfigFile(explicitPath: string | undefined, cwd: string): Promise<string | undefined> {
  if (explicitPath !== undefined) return resolve(cwd, explicitPath);
  const { cosmiconfig } = await import('cosmiconfig');
  const explorer = cosmiconfig(MODULE_NAME, {
    searchPlaces: SEARCH_PLACES,
    // Up to the project root, never the global ~/.config/inspera-lti (a HOME that is a file or unreadable stopped the
    // run).
    searchStrategy: 'project',
    cache: false,
    // Discovery only; parsing goes through parseYaml so there is one YAML parser.
    loaders: {
      '.yaml': () => ({}),
      '.yml': () => ({}),
      noExt: () => ({}),
      // package.json must really be read to see whether it has an "inspera-lti" key; a broken file is reported later.
      '.json': (_path: string, content: string) => {
        try {
          return JSON.parse(content) as unknown;
        } catch {
          return {};
        }
      },
    },
  });
  const found = await explorer.search(cwd);
  return found?.filepath;
}

export interface LoadOptions {
  configPath?: string | undefined;
  cwd?: string;
  /** Fail when no config file exists (commands that need one, such as export). */
  required?: boolean;
}

export async function loadConfig(options: LoadOptions = {}): Promise<LoadedConfig & { text: string | undefined }> {
  const cwd = options.cwd ?? process.cwd();
  const filepath = await findConfigFile(options.configPath, cwd);
  if (!filepath) {
    if (options.required) {
      throw new InsperaLtiError(
        'CONFIG_NOT_FOUND',
        `no inspera-lti config in ${cwd} or a folder above it`,
        `create one with \`inspera-lti init --domain ` +
          `<tenant>\`, or point to it with --config (looked ` +
          `for ${SEARCH_PLACES.slice(0, 2).join(', ')}, ` +
          `.inspera-ltirc*)`,
      );
    }
    return { config: emptyConfig(), filepath: undefined, warnings: [], text: undefined };
  }
  const text = await readConfigFile(filepath);
  let raw: unknown = await parseYaml(filepath, text);
  if (filepath.endsWith('package.json')) raw = (raw as Record<string, unknown> | null)?.[MODULE_NAME];
  if (raw === null || raw === undefined) {
    throw new InsperaLtiError(
      'INVALID_CONFIG',
      `${filepath} is empty`,
      'run `inspera-lti init --domain <tenant> --force` to write a config',
    );
  }
  const { config, warnings } = parseConfig(raw, filepath);
  return { config, filepath, warnings, text };
}
