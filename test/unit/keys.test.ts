import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { calculateJwkThumbprint, exportJWK, jwtVerify } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { generateSigningKey, loadOrCreateKey, signingKeyFromPem } from '../../src/lti/keys.js';
import { signJwt } from '../../src/lti/sign.js';

const pkcs8 = readFileSync(fileURLToPath(new URL('../../fixtures/keys/platform.pem', import.meta.url)), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('keys through jose', () => {
  it('a generated key signs what jose verifies, and its JWK is the public half jose exports', async () => {
    const key = await generateSigningKey('k1');
    const token = await signJwt({ sub: '7' }, key);
    expect((await jwtVerify(token, key.publicKey)).protectedHeader.kid).toBe('k1');
    const { n, e } = await exportJWK(key.publicKey);
    expect(key.jwk).toEqual({ kty: 'RSA', alg: 'RS256', kid: 'k1', e, n, use: 'sig' });
    expect(Buffer.from(n!, 'base64url').length).toBe(256);
  });

  it('a key without a kid is named by its RFC 7638 thumbprint, the same on every run', async () => {
    const first = await signingKeyFromPem(pkcs8, undefined, 'k.pem');
    const again = await signingKeyFromPem(pkcs8, undefined, 'k.pem');
    expect(first.kid).toBe(await calculateJwkThumbprint({ kty: 'RSA', e: first.jwk.e, n: first.jwk.n }));
    expect(first.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(again.kid).toBe(first.kid);
  });

  it('an older PKCS#1 PEM ("BEGIN RSA PRIVATE KEY") gives the same key as its PKCS#8 form', async () => {
    const pkcs1 = createPrivateKey(pkcs8).export({ format: 'pem', type: 'pkcs1' }) as string;
    expect(pkcs1).toMatch(/BEGIN RSA PRIVATE KEY/);
    expect((await signingKeyFromPem(pkcs1, 'x', 'old.pem')).jwk).toEqual(
      (await signingKeyFromPem(pkcs8, 'x', 'new.pem')).jwk,
    );
  });

  it('refuses other key types, short keys and text that is no key, naming the source', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' });
    await expect(signingKeyFromPem(ec as string, 'x', 'ec.pem')).rejects.toThrow(
      'ec.pem is a ec key; LTI 1.3 uses RS256',
    );
    const short = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
      format: 'pem',
      type: 'pkcs8',
    });
    await expect(signingKeyFromPem(short as string, 'x', 'short.pem')).rejects.toThrow(
      'short.pem is a 1024-bit RSA key',
    );
    await expect(signingKeyFromPem('hello', 'x', 'keys.tool.privateKeyPem')).rejects.toThrow(
      'keys.tool.privateKeyPem is not a PEM private key',
    );
  });

  it('keeps a generated key 0600 with its kid; the next run reads the same key back', async () => {
    const keysDir = join(dir, 'kept');
    const platform = await loadOrCreateKey('platform', { keysDir });
    expect(platform.kid).toMatch(/^[0-9a-f]{20}$/);
    expect(statSync(join(keysDir, 'platform.pem')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(keysDir, 'platform.pem'), 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(readFileSync(join(keysDir, 'platform.pem.kid'), 'utf8')).toBe(`${platform.kid}\n`);
    const again = await loadOrCreateKey('platform', { keysDir });
    expect(again.jwk).toEqual(platform.jwk);
    const tool = await loadOrCreateKey('tool', { keysDir });
    expect(tool.kid).toBe(await calculateJwkThumbprint({ kty: 'RSA', e: tool.jwk.e, n: tool.jwk.n }));
  });

  it('a key file given without a kid file is named by its thumbprint', async () => {
    const file = join(dir, 'mine.pem');
    writeFileSync(file, pkcs8, { mode: 0o600 });
    const key = await loadOrCreateKey('tool', { file });
    expect(key.kid).toBe((await signingKeyFromPem(pkcs8, undefined, 'x')).kid);
  });
});
