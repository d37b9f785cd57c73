/**
 * The ids of validate's checks, for the config's `checks.skip` (kept apart so parsing a config loads no check code).
 */
export const VALIDATE_CHECK_IDS = [
  'config.platform',
  'platform.discovery',
  'platform.keyset',
  'platform.token',
  'platform.auth',
  'platform.authorization',
  'platform.clock',
  'tool.urls',
  'tool.keyset',
  'tool.login-init',
  'tool.registration',
  'tool.repost',
  'tool.state-cookie',
  'tool.local-network',
  'tool.launch',
  'tool.clock',
] as const;
