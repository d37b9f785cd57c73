import { dirname, resolve } from 'node:path';
import type { Config, KeyConfig } from '../config/types.js';
import { loadOrCreateKey, type SigningKey } from '../lti/keys.js';

function keyOptions(
  key: KeyConfig | undefined,
  configPath: string | undefined,
): { pem?: string; file?: string; kid?: string } {
  if (!key) return {};
  return {
    ...(key.privateKeyPem ? { pem: key.privateKeyPem } : {}),
    ...(key.privateKeyFile
      ? { file: resolve(configPath ? dirname(configPath) : process.cwd(), key.privateKeyFile) }
      : {}),
    ...(key.kid ? { kid: key.kid } : {}),
  };
}

/** The simulators' keys: from the config's keys section, else kept in the keys directory (made once, mode 0600). */
export async function simulationKeys(
  config: Config,
  configPath: string | undefined,
  withOther = false,
): Promise<{ platform: SigningKey; tool: SigningKey; other?: SigningKey }> {
  const [platform, tool, other] = await Promise.all([
    loadOrCreateKey('platform', keyOptions(config.keys.platform, configPath)),
    loadOrCreateKey('tool', keyOptions(config.keys.tool, configPath)),
    withOther ? loadOrCreateKey('other') : Promise.resolve(undefined),
  ]);
  return { platform, tool, ...(other ? { other } : {}) };
}
