import { createPublicKey, type KeyObject, verify } from 'node:crypto';

/**
 * The checks of firebase/php-jwt 6.10 JWT::decode as Moodle 4.5's token.php runs them (facts A.5): same order,
 * same messages, leeway 0. Returns the exception message, or undefined when the assertion is accepted.
 */
export type JwkSet = { keys: Array<Record<string, unknown>> };

const SUPPORTED = new Set([
  'RS256',
  'RS384',
  'RS512',
  'ES256',
  'ES384',
  'ES256K',
  'PS256',
  'PS384',
  'PS512',
  'HS256',
  'HS384',
  'HS512',
  'EdDSA',
]);

function b64json(part: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** PHP's date(DateTime::ISO8601) in UTC: 2025-01-01T10:00:00+0000. */
function phpIso8601(seconds: number): string {
  return new Date(Math.floor(seconds) * 1000).toISOString().replace(/\.\d{3}Z$/, '+0000');
}

/** The key a JWT names, as a Node key plus the algorithm the JWK/key is bound to. */
export type KeyLookup = (kid: string | undefined) => { key: ReturnType<typeof createPublicKey>; alg: string } | string;

const nodeKeys = new Map<string, KeyObject>();

/**
 * The key as PHP's openssl builds it — through node:crypto, not jose: Moodle accepts what openssl accepts (a
 * 1024-bit key among them), where jose refuses.
 */
function opensslKeyFromJwk(jwk: Record<string, unknown>): KeyObject {
  const id = `${String(jwk.kty)}|${String(jwk.n)}|${String(jwk.e)}|${String(jwk.crv)}|${String(jwk.x)}`;
  let key = nodeKeys.get(id);
  if (!key) {
    key = createPublicKey({ key: jwk as never, format: 'jwk' });
    if (nodeKeys.size > 256) nodeKeys.clear();
    nodeKeys.set(id, key);
  }
  return key;
}

export function keysetLookup(jwks: JwkSet): KeyLookup {
  return (kid) => {
    if (kid === '') return '"kid" empty, unable to lookup correct key';
    const jwk = jwks.keys.find((k) => k.kid === kid);
    if (!jwk) return '"kid" invalid, unable to lookup correct key';
    try {
      return { key: opensslKeyFromJwk(jwk), alg: String(jwk.alg) };
    } catch {
      return 'OpenSSL unable to parse the key';
    }
  };
}

export function pemLookup(pem: string): KeyLookup {
  return () => ({ key: createPublicKey(pem), alg: 'RS256' });
}

/**
 * php-jwt ≥ 6.8.1 (Moodle 4.5's 6.10.0) names iat or nbf and checks iat only without nbf, rounding floats down;
 * 6.4.0 (Moodle 4.2) says "Cannot handle token prior to" for both, and checks both as they stand.
 */
export type PhpJwtTimeMessages = 'iat-or-nbf' | 'one-for-both';

export function phpJwtDecode(
  jwt: string,
  lookup: KeyLookup,
  now: number,
  timeMessages: PhpJwtTimeMessages = 'iat-or-nbf',
): string | undefined {
  const parts = jwt.split('.');
  if (parts.length !== 3) return 'Wrong number of segments';
  const header = b64json(parts[0]!);
  const payload = b64json(parts[1]!);
  if (!header) return 'Invalid header encoding';
  if (!payload) return 'Invalid claims encoding';
  if (!header.alg) return 'Empty algorithm';
  if (!SUPPORTED.has(String(header.alg))) return 'Algorithm not supported';
  const found = lookup(header.kid === undefined ? undefined : String(header.kid));
  if (typeof found === 'string') return found;
  if (found.alg !== header.alg) return 'Incorrect key for this algorithm';
  const ok =
    header.alg === 'RS256' &&
    verify('RSA-SHA256', Buffer.from(`${parts[0]}.${parts[1]}`), found.key, Buffer.from(parts[2]!, 'base64url'));
  if (!ok) return 'Signature verification failed';
  if (timeMessages === 'one-for-both') {
    for (const claim of [payload.nbf, payload.iat])
      if (typeof claim === 'number' && claim > now) return `Cannot handle token prior to ${phpIso8601(claim)}`;
  }
  if (typeof payload.nbf === 'number' && Math.floor(payload.nbf) > now)
    return `Cannot handle token with nbf prior to ${phpIso8601(payload.nbf)}`;
  if (payload.nbf === undefined && typeof payload.iat === 'number' && Math.floor(payload.iat) > now) {
    return `Cannot handle token with iat prior to ${phpIso8601(payload.iat)}`;
  }
  if (typeof payload.exp === 'number' && now >= payload.exp) return 'Expired token';
  return undefined;
}

/**
 * jwks_helper::fix_jwks_alg + Moodle 4.5's filter: give the JWK the JWT names an alg if it has none, then drop keys
 * still without one. Throws the moodle_exception text Moodle would show.
 */
export function fixJwksAlg(jwks: JwkSet, jwt: string): JwkSet {
  const header = b64json(jwt.split('.')[0] ?? '') ?? {};
  if (header.kid === undefined) throw new Error('error/Error: kid must be provided in JWT header.');
  const keys = jwks.keys.map((key) => {
    if (key.kid !== header.kid || key.alg !== undefined) return key;
    if (key.kty === 'RSA' && !String(header.alg).startsWith('RS') && !String(header.alg).startsWith('PS')) {
      throw new Error('error/Error: Alg specified in the JWT header is incompatible with the JWK key type');
    }
    return { ...key, alg: header.alg };
  });
  const kept = keys.filter((k) => k.alg !== undefined);
  if (kept.length === 0) throw new Error('JWK Set did not contain any keys');
  return { keys: kept };
}
