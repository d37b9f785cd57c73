import { sign } from 'node:crypto';
import type { JsonObject } from './claims.js';
import type { SigningKey } from './keys.js';

function base64url(json: unknown): string {
  return Buffer.from(JSON.stringify(json)).toString('base64url');
}

/**
 * RS256 compact JWT with {typ: JWT, alg: RS256, kid} — the header Moodle's JWT::encode writes. Signed with
 * node:crypto directly: RSASSA-PKCS1-v1_5 is deterministic, so the bytes are jose's SignJWT's (a test holds them
 * equal), at about two thirds of its CPU — one signature per launch is the largest single cost in load mode.
 */
export async function signJwt(
  payload: JsonObject,
  key: SigningKey,
  header: { kid?: string | null } = {},
): Promise<string> {
  const kid = header.kid === null ? undefined : (header.kid ?? key.kid);
  const protectedHeader = { typ: 'JWT', alg: 'RS256', ...(kid !== undefined ? { kid } : {}) };
  const signingInput = `${base64url(protectedHeader)}.${base64url(payload)}`;
  return `${signingInput}.${sign('RSA-SHA256', Buffer.from(signingInput), key.privateKey).toString('base64url')}`;
}
