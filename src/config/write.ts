import { toConfigDocument } from './serialize.js';
import { writeFileAtomic, type WriteResult } from '../util/atomic-write.js';
import type { Config } from './types.js';

const HEADER = [
  "# inspera-lti config: the Inspera tenant (tool), Moodle's six Tool configuration details (platform) and the",
  '# Moodle settings chosen for the tool. Written by inspera-lti; safe to edit by hand. ' +
    'Reference: docs/config.md in inspera-lti.',
  '',
].join('\n');

export async function renderConfigYaml(config: Config): Promise<string> {
  const { stringify } = await import('yaml');
  return HEADER + stringify(toConfigDocument(config), { lineWidth: 0 });
}

export function hasInlineSecrets(config: Config): boolean {
  return Boolean(config.keys.platform?.privateKeyPem || config.keys.tool?.privateKeyPem);
}

/** Save the config atomically; a config holding an inline private key is written 0600. */
export async function saveConfig(
  path: string,
  config: Config,
  options: { force?: boolean; expected?: string | undefined },
): Promise<WriteResult> {
  return writeFileAtomic(path, await renderConfigYaml(config), {
    ...options,
    mode: hasInlineSecrets(config) ? 0o600 : 0o644,
  });
}
