import { SignJWT } from 'jose';
import type { JsonObject } from './claims.js';
import type { SigningKey } from './keys.js';

/** RS256 compact JWT with {typ: JWT, alg: RS256, kid} — the header Moodle's JWT::encode writes. */
export async function signJwt(payload: JsonObject, key: SigningKey, header: { kid?: string | null } = {}): Promise<string> {
  const kid = header.kid === null ? undefined : header.kid ?? key.kid;
  return new SignJWT(payload).setProtectedHeader({ typ: 'JWT', alg: 'RS256', ...(kid !== undefined ? { kid } : {}) }).sign(key.privateKey);
}
