import type { JsonObject } from './claims.js';

export interface DecodedJwt {
  header: JsonObject;
  payload: JsonObject;
  signingInput: string;
  signature: Buffer;
}

/** Split and decode a compact JWT without verifying it; undefined with the reason when it is not one. */
export function decodeJwt(token: string): { ok: true; jwt: DecodedJwt } | { ok: false; reason: string } {
  const trimmed = token.trim();
  const parts = trimmed.split('.');
  if (parts.length !== 3)
    return {
      ok: false,
      reason:
        `has ${parts.length} part${parts.length === 1 ? '' : 's'} ` +
        `separated by dots; a JWT has 3 (it may be cut ` +
        `off)`,
    };
  const decode = (part: string, what: string): JsonObject | string => {
    try {
      const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
      return typeof value === 'object' && value !== null && !Array.isArray(value)
        ? (value as JsonObject)
        : `its ${what} is not a JSON object`;
    } catch {
      return `its ${what} is not base64url-encoded JSON (the token may be cut off or altered)`;
    }
  };
  const header = decode(parts[0]!, 'header');
  if (typeof header === 'string') return { ok: false, reason: header };
  const payload = decode(parts[1]!, 'payload');
  if (typeof payload === 'string') return { ok: false, reason: payload };
  return {
    ok: true,
    jwt: { header, payload, signingInput: `${parts[0]}.${parts[1]}`, signature: Buffer.from(parts[2]!, 'base64url') },
  };
}
