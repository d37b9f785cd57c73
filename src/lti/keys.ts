import {
  createPrivateKey,
  createPublicKey,
  generateKeyPair as generateNodeKeyPair,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { writeFileAtomic } from '../util/atomic-write.js';
import { InsperaLtiError } from '../errors.js';

/** A JWK as published in a keyset. */
export interface PublicJwk {
  kty: 'RSA';
  alg: 'RS256';
  kid: string;
  e: string;
  n: string;
  use: 'sig';
}

/** An RS256 signing key. The private half never leaves this object: no code prints or exports it. */
export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** In Moodle's order: kty, alg, kid, e, n, use (facts A.2). */
  jwk: PublicJwk;
}

const generate = promisify(generateNodeKeyPair);

/** Moodle's kid: bin2hex(random 10 bytes) = 20 lowercase hex characters. */
export function moodleStyleKid(): string {
  return randomBytes(10).toString('hex');
}

export function signingKeyFrom(privateKey: KeyObject, kid: string): SigningKey {
  const publicKey = createPublicKey(privateKey);
  const { e, n } = publicKey.export({ format: 'jwk' }) as { e: string; n: string };
  return { kid, privateKey, publicKey, jwk: { kty: 'RSA', alg: 'RS256', kid, e, n, use: 'sig' } };
}

export function signingKeyFromPem(pem: string, kid: string, source: string): SigningKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch {
    throw new InsperaLtiError(
      'INVALID_VALUE',
      `${source} is not a PEM private key`,
      'give an RSA private key in PEM format (-----BEGIN PRIVATE KEY-----)',
    );
  }
  if (privateKey.asymmetricKeyType !== 'rsa') {
    throw new InsperaLtiError(
      'INVALID_VALUE',
      `${source} is a ${privateKey.asymmetricKeyType} key; LTI 1.3 uses RS256`,
      'give an RSA private key (2048 bits or more)',
    );
  }
  const bits = privateKey.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < 2048)
    throw new InsperaLtiError(
      'INVALID_VALUE',
      `${source} is a ${bits}-bit RSA key`,
      'use an RSA key of 2048 bits or more',
    );
  return signingKeyFrom(privateKey, kid);
}

export async function generateSigningKey(kid = moodleStyleKid()): Promise<SigningKey> {
  const { privateKey } = await generate('rsa', { modulusLength: 2048 });
  return signingKeyFrom(privateKey, kid);
}

/**
 * Where generated keys are kept: $INSPERA_LTI_KEYS_DIR, else $XDG_CONFIG_HOME/inspera-lti/keys, else
 * ~/.config/inspera-lti/keys.
 */
export function defaultKeysDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.INSPERA_LTI_KEYS_DIR) return env.INSPERA_LTI_KEYS_DIR;
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'inspera-lti', 'keys');
}

/**
 * The key for one simulated side: from the config (inline PEM or file), else the one kept in the keys directory,
 * else a new RSA-2048 key generated once and kept there with mode 0600 (generation costs up to half a second).
 */
export async function loadOrCreateKey(
  side: 'platform' | 'tool' | 'other',
  options: { pem?: string; file?: string; kid?: string; keysDir?: string } = {},
): Promise<SigningKey> {
  if (options.pem) return signingKeyFromPem(options.pem, options.kid ?? moodleStyleKid(), `keys.${side}.privateKeyPem`);
  const path = options.file ?? join(options.keysDir ?? defaultKeysDir(), `${side}.pem`);
  const kidPath = `${path}.kid`;
  let pem: string | undefined;
  try {
    pem = await readFile(path, 'utf8');
  } catch (error) {
    // ENOTDIR: a path under something that is no directory (a HOME that is a file) holds no key either.
    const code = (error as NodeJS.ErrnoException).code;
    if ((code !== 'ENOENT' && code !== 'ENOTDIR') || options.file) {
      throw new InsperaLtiError(
        'FILE_UNREADABLE',
        `cannot read the ${side} key ${path} (${(error as NodeJS.ErrnoException).code})`,
        'check the path and its permissions',
      );
    }
  }
  if (pem !== undefined) {
    const kid =
      options.kid ??
      (await readFile(kidPath, 'utf8')
        .then((k) => k.trim())
        .catch(() => undefined)) ??
      moodleStyleKid();
    return signingKeyFromPem(pem, kid, path);
  }
  const key = await generateSigningKey(options.kid);
  try {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    await writeFileAtomic(path, key.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string, { mode: 0o600 });
    await writeFileAtomic(kidPath, key.kid + '\n', { mode: 0o600 });
  } catch (error) {
    // A CI account without a writable home (nobody, a read-only image) cannot keep keys there: say where instead.
    const code =
      error instanceof InsperaLtiError
        ? /\((E[A-Z]+)\)/.exec(error.message)?.[1]
        : (error as NodeJS.ErrnoException).code;
    throw new InsperaLtiError(
      'FILE_WRITE_FAILED',
      `cannot keep the generated ${side} key: ${dirname(path)} ` +
        `${code === 'ENOENT' || code === 'ENOTDIR' ? 'cannot be created' : 'is not writable'}` +
        `${code ? ` (${code})` : ''}`,
      options.file
        ? 'give a key file in a writable place'
        : 'set INSPERA_LTI_KEYS_DIR to a writable directory (e.g. ' +
            'INSPERA_LTI_KEYS_DIR=$RUNNER_TEMP/keys), or a HOME or ' +
            'XDG_CONFIG_HOME this account can write',
      { cause: error },
    );
  }
  return key;
}
