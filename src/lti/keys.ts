import { KeyObject, createPrivateKey, randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  calculateJwkThumbprint,
  exportJWK,
  exportPKCS8,
  generateKeyPair,
  importJWK,
  importPKCS8,
  type CryptoKey,
} from 'jose';
import { writeFileAtomic } from '../util/atomic-write.js';
import { acquireLock, LockBusy } from '../util/file-lock.js';
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
  /** A Node key object: the id_token signing of load mode uses node:crypto (see sign.ts). */
  privateKey: KeyObject;
  publicKey: CryptoKey;
  /** In Moodle's order: kty, alg, kid, e, n, use (facts A.2). */
  jwk: PublicJwk;
}

/** Moodle's kid: bin2hex(random 10 bytes) = 20 lowercase hex characters. */
function moodleStyleKid(): string {
  return randomBytes(10).toString('hex');
}

/** The key with its public half and JWK as jose exports them; the kid given, else its RFC 7638 thumbprint. */
export async function signingKeyFrom(privateKey: KeyObject | CryptoKey, kid?: string): Promise<SigningKey> {
  const { e, n } = await exportJWK(privateKey);
  if (!e || !n) throw new InsperaLtiError('INVALID_VALUE', 'the key is not an RSA key', 'give an RSA private key');
  const id = kid ?? (await calculateJwkThumbprint({ kty: 'RSA', e, n }, 'sha256'));
  const publicKey = (await importJWK({ kty: 'RSA', e, n }, 'RS256')) as CryptoKey;
  const nodeKey = privateKey instanceof KeyObject ? privateKey : KeyObject.from(privateKey);
  return { kid: id, privateKey: nodeKey, publicKey, jwk: { kty: 'RSA', alg: 'RS256', kid: id, e, n, use: 'sig' } };
}

/**
 * jose reads PKCS#8 ("BEGIN PRIVATE KEY"); an older "BEGIN RSA PRIVATE KEY" (PKCS#1, what `openssl genrsa` wrote
 * before OpenSSL 3) is not a format jose reads, so node:crypto converts that one.
 */
async function importPem(pem: string): Promise<KeyObject | CryptoKey> {
  if (/-----BEGIN RSA PRIVATE KEY-----/.test(pem)) return createPrivateKey(pem);
  return importPKCS8(pem.trim(), 'RS256', { extractable: true });
}

/** Why a PEM jose would not import as an RS256 key is unusable: another key type, or no private key at all. */
function unusableKey(pem: string, source: string): InsperaLtiError {
  let type: string | undefined;
  try {
    type = createPrivateKey(pem).asymmetricKeyType;
  } catch {
    type = undefined;
  }
  return type && type !== 'rsa'
    ? new InsperaLtiError(
        'INVALID_VALUE',
        `${source} is a ${type} key; LTI 1.3 uses RS256`,
        'give an RSA private key (2048 bits or more)',
      )
    : new InsperaLtiError(
        'INVALID_VALUE',
        `${source} is not a PEM private key`,
        'give an unencrypted RSA private key in PEM format (-----BEGIN PRIVATE KEY-----)',
      );
}

/** A PEM private key, checked to be RSA of 2048 bits or more; the kid given, else the key's thumbprint. */
export async function signingKeyFromPem(pem: string, kid: string | undefined, source: string): Promise<SigningKey> {
  let privateKey: KeyObject;
  try {
    const imported = await importPem(pem);
    privateKey = imported instanceof KeyObject ? imported : KeyObject.from(imported);
  } catch {
    throw unusableKey(pem, source);
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

export async function generateSigningKey(kid?: string): Promise<SigningKey> {
  const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  return signingKeyFrom(privateKey, kid);
}

/**
 * Where generated keys are kept: $INSPERA_LTI_KEYS_DIR, else $XDG_CONFIG_HOME/inspera-lti/keys, else
 * ~/.config/inspera-lti/keys.
 */
function defaultKeysDir(env: NodeJS.ProcessEnv = process.env): string {
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
  if (options.pem) return signingKeyFromPem(options.pem, options.kid, `keys.${side}.privateKeyPem`);
  const path = options.file ?? join(options.keysDir ?? defaultKeysDir(), `${side}.pem`);
  let pem: string;
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
    return createKeptKey(side, path, options);
  }
  return signingKeyFromPem(pem, options.kid ?? (await keptKid(path)), path);
}

async function keptKid(path: string): Promise<string | undefined> {
  return readFile(`${path}.kid`, 'utf8')
    .then((k) => k.trim() || undefined)
    .catch(() => undefined);
}

/** The kept key and its kid as a pair: undefined when the PEM is not there (yet). */
async function readKeptKey(path: string, kid: string | undefined): Promise<SigningKey | undefined> {
  const pem = await readFile(path, 'utf8').catch(() => undefined);
  if (pem === undefined) return undefined;
  return signingKeyFromPem(pem, kid ?? (await keptKid(path)), path);
}

/**
 * Generate the key once, however many runs start at the same moment: creators take turns (a lock beside the key),
 * and each looks again under the lock, so the first one generates and the others read what it kept. The kid is
 * written before the PEM: a reader who sees the PEM sees its kid too.
 */
async function createKeptKey(
  side: 'platform' | 'tool' | 'other',
  path: string,
  options: { file?: string; kid?: string },
): Promise<SigningKey> {
  const cannotKeep = (error: unknown): InsperaLtiError => {
    const code =
      error instanceof InsperaLtiError
        ? /\((E[A-Z]+)\)/.exec(error.message)?.[1]
        : (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' || code === 'ENOTDIR'
        ? 'cannot be created'
        : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
          ? 'is not writable'
          : 'could not be written';
    return new InsperaLtiError(
      'FILE_WRITE_FAILED',
      `cannot keep the generated ${side} key: ${dirname(path)} ${why}${code ? ` (${code})` : ''}`,
      options.file
        ? 'give a key file in a writable place'
        : 'set INSPERA_LTI_KEYS_DIR to a writable directory (e.g. ' +
            'INSPERA_LTI_KEYS_DIR=$RUNNER_TEMP/keys), or a HOME or ' +
            'XDG_CONFIG_HOME this account can write',
      { cause: error },
    );
  };
  let release: () => Promise<void>;
  try {
    // mkdir -p tolerates another run creating the same folders at the same moment.
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    release = await acquireLock(`${path}.create.lock`, { waitMs: KEY_LOCK_WAIT_MS });
  } catch (error) {
    if (error instanceof LockBusy)
      throw new InsperaLtiError(
        'FILE_WRITE_FAILED',
        `the ${side} key ${path} is being generated by another inspera-lti (${error.owner})`,
        'wait for it to finish and run the command again',
      );
    throw cannotKeep(error);
  }
  try {
    const kept = await readKeptKey(path, options.kid);
    if (kept) return kept;
    const key = await generateSigningKey(options.kid ?? (side === 'platform' ? moodleStyleKid() : undefined));
    try {
      // A .kid left by a run killed before its PEM belongs to no key: it is replaced.
      await writeFileAtomic(`${path}.kid`, key.kid + '\n', { mode: 0o600, force: true });
      await writeFileAtomic(path, await exportPKCS8(key.privateKey), { mode: 0o600 });
    } catch (error) {
      throw cannotKeep(error);
    }
    return key;
  } finally {
    await release();
  }
}

/** Generating a key takes up to half a second; a queue of parallel first runs waits for the one that generates. */
const KEY_LOCK_WAIT_MS = 30_000;
