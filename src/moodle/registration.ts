import type { PlatformRegistration } from '../lti/verify-launch.js';
import { endpointsFor, type ToolDetails } from './tool-details.js';

/**
 * How a tool registers a Moodle from its six Tool configuration details, exactly as recorded; endpoint URLs that
 * were not recorded are the ones Moodle derives from the Platform ID. Undefined without a Platform ID.
 */
export function registrationFor(details: Partial<ToolDetails>): PlatformRegistration | undefined {
  if (!details.platformId) return undefined;
  const derived = endpointsFor(details.platformId);
  return {
    issuer: details.platformId,
    clientId: details.clientId ?? '',
    deploymentIds: details.deploymentId ? [details.deploymentId] : [],
    authUrl: details.authRequestUrl ?? derived.authRequestUrl,
    tokenUrl: details.accessTokenUrl ?? derived.accessTokenUrl,
    keysetUrl: details.publicKeysetUrl ?? derived.publicKeysetUrl,
  };
}
