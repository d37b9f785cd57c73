import { createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';
import { SCOPE } from '../../lti/claims.js';

export interface AccessToken {
  typeId: string;
  scopes: string[];
  validUntil: number;
}

const SCOPES: string[] = Object.values(SCOPE);
const MAC_BYTES = 11;

/**
 * token.php's access tokens, which Moodle keeps in lti_access_tokens for an hour. Tools cache them (ltijs, pylti1.3)
 * and a CI run starts the embedded platform anew each time, so a token from the last run must still be good: a
 * token carries its own expiry and scopes, authenticated with a secret derived from the platform's private key —
 * the same platform identity accepts it after a restart, any other refuses it. Still 32 hex characters, the shape
 * of Moodle's md5(uniqid(rand(), 1)): validUntil (4 bytes), the scope bits (1), a MAC over them and the type (11).
 */
export class AccessTokens {
  private readonly secret: Buffer;

  constructor(privateKey: KeyObject) {
    this.secret = createHmac('sha256', privateKey.export({ type: 'pkcs8', format: 'der' }))
      .update('inspera-lti access tokens')
      .digest();
  }

  private mac(head: Buffer, typeId: string): Buffer {
    return createHmac('sha256', this.secret).update(head).update(typeId).digest().subarray(0, MAC_BYTES);
  }

  issue(typeId: string, scopes: string[], validUntil: number): string {
    const head = Buffer.alloc(5);
    head.writeUInt32BE(validUntil >>> 0, 0);
    head[4] = scopes.reduce((bits, scope) => (SCOPES.includes(scope) ? bits | (1 << SCOPES.indexOf(scope)) : bits), 0);
    return Buffer.concat([head, this.mac(head, typeId)]).toString('hex');
  }

  /** What a token grants, if this platform issued it for `typeId` (expiry is the caller's to check). */
  read(token: string, typeId: string): AccessToken | undefined {
    if (!/^[0-9a-f]{32}$/.test(token)) return undefined;
    const bytes = Buffer.from(token, 'hex');
    const head = bytes.subarray(0, 5);
    if (!timingSafeEqual(bytes.subarray(5), this.mac(head, typeId))) return undefined;
    return { typeId, validUntil: head.readUInt32BE(0), scopes: SCOPES.filter((_, i) => (head[4]! & (1 << i)) !== 0) };
  }
}
