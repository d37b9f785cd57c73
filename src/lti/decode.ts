import { decodeJwt as joseDecodeJwt, decodeProtectedHeader } from 'jose';
import type { JsonObject } from './claims.js';

export interface DecodedJwt {
  header: JsonObject;
  payload: JsonObject;
}

/**
 * Decode a compact JWT without verifying it (jose's decoders); the reason in a person's words when it is not one —
 * jose says only "Invalid JWT", and the commonest cause is a token cut off while copying.
 */
export function decodeJwt(token: string): { ok: true; jwt: DecodedJwt } | { ok: false; reason: string } {
  const trimmed = token.trim();
  const parts = trimmed.split('.');
  if (parts.length !== 3)
    return {
      ok: false,
      reason:
        `has ${parts.length} part${parts.length === 1 ? '' : 's'} separated by dots; ` +
        'a JWT has 3 (it may be cut off)',
    };
  let header: JsonObject;
  try {
    header = decodeProtectedHeader(trimmed) as JsonObject;
  } catch {
    return { ok: false, reason: notJson('header', parts[0]!) };
  }
  try {
    return { ok: true, jwt: { header, payload: joseDecodeJwt(trimmed) as JsonObject } };
  } catch {
    return { ok: false, reason: notJson('payload', parts[1]!) };
  }
}

function notJson(what: 'header' | 'payload', part: string): string {
  try {
    JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return `its ${what} is not a JSON object`;
  } catch {
    return `its ${what} is not base64url-encoded JSON (the token may be cut off or altered)`;
  }
}
