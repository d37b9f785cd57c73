import { importJWK, type JWK, type CryptoKey } from 'jose';

const cache = new Map<string, Promise<CryptoKey>>();

/**
 * An RS256 verification key for a JWK, imported by jose once per key (importing costs more than an RS256 verify).
 * Rejects what jose refuses: a key that is not RSA, or smaller than 2048 bits.
 */
export function rs256KeyFromJwk(jwk: Record<string, unknown>): Promise<CryptoKey> {
  const id = `${String(jwk.kty)}|${String(jwk.n)}|${String(jwk.e)}`;
  let key = cache.get(id);
  if (!key) {
    const { kty, n, e } = jwk as JWK;
    key = importJWK({ kty, n, e }, 'RS256') as Promise<CryptoKey>;
    key.catch(() => cache.delete(id));
    if (cache.size > 256) cache.clear();
    cache.set(id, key);
  }
  return key;
}
