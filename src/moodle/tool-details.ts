/**
 * Moodle's six "Tool configuration details" (facts A.1): the values an admin copies from Moodle to Inspera.
 * Labels are Moodle's lang strings, exactly.
 */
export interface ToolDetails {
  platformId: string;
  clientId: string;
  deploymentId: string;
  publicKeysetUrl: string;
  accessTokenUrl: string;
  authRequestUrl: string;
}

export type ToolDetailKey = keyof ToolDetails;

export const TOOL_DETAIL_LABELS: Readonly<Record<ToolDetailKey, string>> = {
  platformId: 'Platform ID',
  clientId: 'Client ID',
  deploymentId: 'Deployment ID',
  publicKeysetUrl: 'Public keyset URL',
  accessTokenUrl: 'Access token URL',
  authRequestUrl: 'Authentication request URL',
};

export const TOOL_DETAIL_KEYS = Object.keys(TOOL_DETAIL_LABELS) as ToolDetailKey[];

/** Paths under wwwroot, the same on every Moodle 4.x site. */
export const MOODLE_ENDPOINT_PATHS = {
  publicKeysetUrl: '/mod/lti/certs.php',
  accessTokenUrl: '/mod/lti/token.php',
  authRequestUrl: '/mod/lti/auth.php',
} as const;

export const MOODLE_DISCOVERY_PATH = '/mod/lti/openid-configuration.php';

/** The Moodle release openid-configuration.php reports (its platform configuration's `version`), if it does. */
export function discoveredVersion(doc: unknown): string | undefined {
  const family = (doc as Record<string, unknown> | null)?.[
    'https://purl.imsglobal.org/spec/lti-platform-configuration'
  ];
  const version = (family as { version?: unknown } | undefined)?.version;
  return version === undefined || version === null || version === '' ? undefined : String(version);
}

export type EndpointKey = keyof typeof MOODLE_ENDPOINT_PATHS;
export const ENDPOINT_KEYS = Object.keys(MOODLE_ENDPOINT_PATHS) as EndpointKey[];

/** The three endpoint URLs Moodle derives from its wwwroot (= Platform ID). */
export function endpointsFor(platformId: string): Pick<ToolDetails, EndpointKey> {
  const root = platformId.replace(/\/+$/, '');
  return {
    publicKeysetUrl: root + MOODLE_ENDPOINT_PATHS.publicKeysetUrl,
    accessTokenUrl: root + MOODLE_ENDPOINT_PATHS.accessTokenUrl,
    authRequestUrl: root + MOODLE_ENDPOINT_PATHS.authRequestUrl,
  };
}
