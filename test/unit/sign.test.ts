import { readFileSync } from 'node:fs';
import { createPrivateKey } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { decodeProtectedHeader, jwtVerify, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { signingKeyFrom } from '../../src/lti/keys.js';
import { signJwt } from '../../src/lti/sign.js';

const pem = readFileSync(fileURLToPath(new URL('../../fixtures/keys/platform.pem', import.meta.url)), 'utf8');
const key = await signingKeyFrom(createPrivateKey(pem), 'kid-42');
const payload = {
  iss: 'https://moodle.example.edu',
  aud: ['EhdzqulqmXxNDkw'],
  name: 'Åse Ødegård “quoted” </script>',
  nested: { roles: ['a', 'b'], n: 1.5 },
  iat: 1764590000,
  exp: 1764590060,
};

describe('signJwt', () => {
  it("writes the bytes jose's SignJWT writes for the same header and claims, and jose verifies them", async () => {
    const ours = await signJwt(payload, key);
    const joses = await new SignJWT(payload)
      .setProtectedHeader({ typ: 'JWT', alg: 'RS256', kid: 'kid-42' })
      .sign(key.privateKey);
    expect(ours).toBe(joses);
    const verified = await jwtVerify(ours, key.publicKey, { currentDate: new Date(1764590010_000) });
    expect(verified.payload).toEqual(payload);
    expect(verified.protectedHeader).toEqual({ typ: 'JWT', alg: 'RS256', kid: 'kid-42' });
  });

  it('names another kid, or none at all, when asked', async () => {
    expect(decodeProtectedHeader(await signJwt(payload, key, { kid: 'other' }))).toEqual({
      typ: 'JWT',
      alg: 'RS256',
      kid: 'other',
    });
    expect(decodeProtectedHeader(await signJwt(payload, key, { kid: null }))).toEqual({ typ: 'JWT', alg: 'RS256' });
  });

  it('a changed claim no longer verifies', async () => {
    const [h, , s] = (await signJwt(payload, key)).split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...payload, name: 'Mallory' })).toString('base64url')}.${s}`;
    await expect(jwtVerify(forged, key.publicKey, { currentDate: new Date(1764590010_000) })).rejects.toThrow(
      /signature/,
    );
  });
});
