import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkJwks } from '../../src/lti/jwks-check.js';
import { fixtureKey } from '../helpers/sim.js';

const good = fixtureKey('platform').jwk as unknown as Record<string, string>;
const jwks = (key: Record<string, unknown>) => ({ keys: [key] });

describe('keys that pass LTI 1.3 but a verifier or a security review would refuse', () => {
  it('a well-formed 2048-bit RS256 key with e = 65537 passes', async () => {
    expect(await checkJwks(jwks(good))).toMatchObject({ errors: [], warnings: [] });
  });

  it('a modulus in standard base64 (with + / or =) fails, with the reason', async () => {
    const std = Buffer.from(good.n!, 'base64url').toString('base64');
    expect(std).toMatch(/[+/=]/);
    expect((await checkJwks(jwks({ ...good, n: std }))).errors.join(' ')).toMatch(/"n" is not base64url .*refuse it/);
  });

  it('exponent 3 is flagged', async () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 3 });
    const jwk = publicKey.export({ format: 'jwk' }) as Record<string, string>;
    const verdict = await checkJwks(jwks({ ...jwk, kid: 'k3', alg: 'RS256', use: 'sig' }));
    expect(verdict.errors).toEqual([]);
    expect(verdict.warnings.join(' ')).toMatch(/exponent 3, not 65537: a security review would flag it/);
  });

  it('a 524,288-bit modulus fails without building the key', async () => {
    const huge = Buffer.alloc(65536, 0xff).toString('base64url');
    const verdict = await checkJwks(jwks({ ...good, n: huge }));
    expect(verdict.errors).toEqual([expect.stringMatching(/is 524288 bits: verifiers refuse keys this large/)]);
  });
});
