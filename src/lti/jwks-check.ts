import { rs256KeyFromJwk } from './jwk-cache.js';

export interface JwksVerdict {
  /** Problems that make the keyset unusable for LTI 1.3 (fail). */
  errors: string[];
  /** Oddities that still work (warn). */
  warnings: string[];
  kids: string[];
  /** Keys without an `alg` (name of each): Moodle before 4.4.5 / 4.5.1 fails on them. */
  withoutAlg: string[];
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * What a verifier would choke on and a security review would flag, from n and e alone (before any key is built, so
 * a huge modulus costs nothing): base64url without padding, e = 65537, a 2048–4096-bit modulus.
 */
function rsaShape(key: Record<string, unknown>, name: string): { errors: string[]; warnings: string[] } {
  const errors: string[] = [];
  const warnings: string[] = [];
  for (const field of ['n', 'e'] as const) {
    const value = key[field];
    if (typeof value !== 'string' || value === '') errors.push(`${name} has no "${field}"`);
    else if (!BASE64URL.test(value))
      errors.push(
        `${name}: "${field}" is not base64url (it has ` +
          `"+", "/" or "=" padding): php-jwt, jose and ` +
          `most LTI libraries refuse it`,
      );
  }
  if (errors.length) return { errors, warnings };
  const modulus = Buffer.from(key.n as string, 'base64url');
  const bits = modulus.length * 8 - (modulus[0] === undefined ? 0 : Math.clz32(modulus[0]) - 24);
  if (bits < 2048) errors.push(`${name} is ${bits} bits; at least 2048 are required`);
  else if (bits > 8192)
    errors.push(
      `${name} is ${bits} bits: verifiers refuse keys ` +
        `this large, and checking with one is a denial-of-service ` +
        `risk (2048–4096 bits is usual)`,
    );
  else if (bits > 4096)
    warnings.push(`${name} is ${bits} bits, more than the 2048–4096 LTI platforms use (slow to verify)`);
  const exponent = Buffer.from(key.e as string, 'base64url');
  const e = exponent.length <= 6 ? exponent.reduce((n, byte) => n * 256 + byte, 0) : Infinity;
  if (e !== 65537)
    warnings.push(
      `${name} has exponent ${Number.isFinite(e) ? e : '(over 48 bits)'}, ` +
        'not 65537: a security review would flag it' +
        (e === 3 ? ' (e = 3 invites signature forgery with bad padding checks)' : ''),
    );
  return { errors, warnings };
}

/** LTI 1.3's demands on a keyset: a JWKS with at least one RSA ≥ 2048 key, alg RS256, use sig, unique kids. */
export async function checkJwks(value: unknown): Promise<JwksVerdict> {
  const errors: string[] = [];
  const warnings: string[] = [];
  const kids: string[] = [];
  const withoutAlg: string[] = [];
  if (typeof value !== 'object' || value === null || !Array.isArray((value as { keys?: unknown }).keys)) {
    return { errors: ['it is not a JWKS: no "keys" array'], warnings, kids, withoutAlg };
  }
  const keys = (value as { keys: unknown[] }).keys;
  if (keys.length === 0) errors.push('it publishes no key');
  const importable: Array<{ key: Record<string, unknown>; name: string }> = [];
  keys.forEach((raw, index) => {
    const key = raw as Record<string, unknown>;
    const name = typeof key.kid === 'string' ? `key ${key.kid}` : `key #${index + 1}`;
    if (typeof key !== 'object' || key === null) {
      errors.push(`${name} is not an object`);
      return;
    }
    if (typeof key.kid !== 'string' || key.kid === '')
      errors.push(`${name} has no kid (tools and Moodle pick the key by kid)`);
    else kids.push(key.kid);
    if (key.kty !== 'RSA') {
      errors.push(`${name} is ${JSON.stringify(key.kty)}, not RSA`);
      return;
    }
    if (key.alg === undefined) {
      withoutAlg.push(name);
      warnings.push(`${name} has no alg (Moodle before 4.4.5 / 4.5.1 fails on such a key; later ones fill it in)`);
    } else if (key.alg !== 'RS256') errors.push(`${name} has alg ${JSON.stringify(key.alg)}; LTI 1.3 uses RS256`);
    if (key.use !== undefined && key.use !== 'sig')
      errors.push(`${name} has use ${JSON.stringify(key.use)}; it must be "sig"`);
    if (typeof key.d === 'string')
      errors.push(`${name} contains its PRIVATE part ("d"): the keyset leaks the private key`);
    const shape = rsaShape(key, name);
    errors.push(...shape.errors);
    warnings.push(...shape.warnings);
    if (!shape.errors.length) importable.push({ key, name });
  });
  for (const { key, name } of importable) {
    await rs256KeyFromJwk(key).catch(() => errors.push(`${name} is not a valid RSA public key (n/e)`));
  }
  const duplicates = kids.filter((kid, i) => kids.indexOf(kid) !== i);
  if (duplicates.length) errors.push(`kids are not unique: ${[...new Set(duplicates)].join(', ')}`);
  return { errors, warnings, kids, withoutAlg };
}
