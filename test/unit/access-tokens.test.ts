import { describe, expect, it } from 'vitest';
import { SCOPE } from '../../src/lti/claims.js';
import { AccessTokens } from '../../src/sim/platform/access-tokens.js';
import { fixtureKey } from '../helpers/sim.js';

describe("the embedded platform's access tokens", () => {
  const tokens = new AccessTokens(fixtureKey('platform').privateKey);

  it("are 32 hex characters, as Moodle's, and carry their type, scopes and expiry", () => {
    const token = tokens.issue('7', [SCOPE.score, SCOPE.resultReadonly], 1_900_000_000);
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    expect(tokens.read(token, '7')).toEqual({
      typeId: '7',
      validUntil: 1_900_000_000,
      scopes: [SCOPE.resultReadonly, SCOPE.score],
    });
  });

  it('are good for the same platform identity after a restart, and for no other', () => {
    const token = tokens.issue('7', [SCOPE.score], 1_900_000_000);
    expect(new AccessTokens(fixtureKey('platform').privateKey).read(token, '7')?.scopes).toEqual([SCOPE.score]);
    expect(new AccessTokens(fixtureKey('other').privateKey).read(token, '7')).toBeUndefined();
    expect(tokens.read(token, '8')).toBeUndefined();
  });

  it('refuse any change: more scopes, a later expiry, another shape', () => {
    const token = tokens.issue('7', [SCOPE.score], 1_900_000_000);
    const bytes = Buffer.from(token, 'hex');
    bytes[4] = 0xff;
    expect(tokens.read(bytes.toString('hex'), '7')).toBeUndefined();
    const later = Buffer.from(token, 'hex');
    later.writeUInt32BE(1_999_999_999, 0);
    expect(tokens.read(later.toString('hex'), '7')).toBeUndefined();
    expect(tokens.read(token.toUpperCase(), '7')).toBeUndefined();
    expect(tokens.read(`${token}00`, '7')).toBeUndefined();
    expect(tokens.read('', '7')).toBeUndefined();
  });
});
