import { createPublicKey, type KeyObject } from 'node:crypto';

const cache = new Map<string, KeyObject>();

/** A public KeyObject for a JWK, built once per key (key parsing costs more than an RS256 verify). */
export function publicKeyFromJwk(jwk: Record<string, unknown>): KeyObject {
  const id = `${String(jwk.kty)}|${String(jwk.n)}|${String(jwk.e)}|${String(jwk.crv)}|${String(jwk.x)}`;
  let key = cache.get(id);
  if (!key) {
    key = createPublicKey({ key: jwk as never, format: 'jwk' });
    if (cache.size > 256) cache.clear();
    cache.set(id, key);
  }
  return key;
}
