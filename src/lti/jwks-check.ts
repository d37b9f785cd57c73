import { publicKeyFromJwk } from './jwk-cache.js';

export interface JwksVerdict {
  /** Problems that make the keyset unusable for LTI 1.3 (fail). */
  errors: string[];
  /** Oddities that still work (warn). */
  warnings: string[];
  kids: string[];
}

/** LTI 1.3's demands on a keyset: a JWKS with at least one RSA ≥ 2048 key, alg RS256, use sig, unique kids. */
export function checkJwks(value: unknown): JwksVerdict {
  const errors: string[] = [];
  const warnings: string[] = [];
  const kids: string[] = [];
  if (typeof value !== 'object' || value === null || !Array.isArray((value as { keys?: unknown }).keys)) {
    return { errors: ['it is not a JWKS: no "keys" array'], warnings, kids };
  }
  const keys = (value as { keys: unknown[] }).keys;
  if (keys.length === 0) errors.push('it publishes no key');
  keys.forEach((raw, index) => {
    const key = raw as Record<string, unknown>;
    const name = typeof key.kid === 'string' ? `key ${key.kid}` : `key #${index + 1}`;
    if (typeof key !== 'object' || key === null) {
      errors.push(`${name} is not an object`);
      return;
    }
    if (typeof key.kid !== 'string' || key.kid === '') errors.push(`${name} has no kid (tools and Moodle pick the key by kid)`);
    else kids.push(key.kid);
    if (key.kty !== 'RSA') {
      errors.push(`${name} is ${JSON.stringify(key.kty)}, not RSA`);
      return;
    }
    if (key.alg === undefined) warnings.push(`${name} has no alg (Moodle 4.2 fails on such a key; 4.5 fills it in)`);
    else if (key.alg !== 'RS256') errors.push(`${name} has alg ${JSON.stringify(key.alg)}; LTI 1.3 uses RS256`);
    if (key.use !== undefined && key.use !== 'sig') errors.push(`${name} has use ${JSON.stringify(key.use)}; it must be "sig"`);
    if (typeof key.d === 'string') errors.push(`${name} contains its PRIVATE part ("d"): the keyset leaks the private key`);
    try {
      const bits = publicKeyFromJwk(key).asymmetricKeyDetails?.modulusLength ?? 0;
      if (bits < 2048) errors.push(`${name} is ${bits} bits; at least 2048 are required`);
    } catch {
      errors.push(`${name} is not a valid RSA public key (n/e)`);
    }
  });
  const duplicates = kids.filter((kid, i) => kids.indexOf(kid) !== i);
  if (duplicates.length) errors.push(`kids are not unique: ${[...new Set(duplicates)].join(', ')}`);
  return { errors, warnings, kids };
}
