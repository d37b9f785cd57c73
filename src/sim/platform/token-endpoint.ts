import type { ServerResponse } from 'node:http';
import { CLIENT_ASSERTION_TYPE } from '../../lti/claims.js';
import { grantScopes } from '../../moodle/scopes.js';
import { printable } from '../../util/printable.js';
import { escapeHtml } from '../../util/html.js';
import { send, type ParsedRequest } from '../http-server.js';
import { fillsMissingKeyAlg } from '../../moodle/versions.js';
import { fixJwksAlg, keysetLookup, pemLookup, phpJwtDecode, type JwkSet, type PhpJwtTimeMessages } from './php-jwt.js';
import type { PlatformState } from './state.js';
import type { PlatformSetup } from './types.js';

/** token.php's error answer: 400, string-templated (not JSON-escaped), no content type of its own. */
function tokenError(response: ServerResponse, error: string): string {
  send(response, 400, `{\n  "error" : "${error}"\n}`, { 'content-type': 'text/html; charset=utf-8' }, 'Bad Request');
  return `400 ${error}`;
}

/** A TypeError token.php does not catch: Moodle's fatal error page (status derived, not observed). */
function fatalTypeError(response: ServerResponse, message: string): string {
  send(
    response,
    404,
    `<!DOCTYPE html><html><body><div class="errorbox"><p ` +
      `class="errormessage">Exception - ${escapeHtml(message)}</p></div></body></html>`,
    { 'content-type': 'text/html; charset=utf-8' },
    'Not Found',
  );
  return `404 fatal error page (${message})`;
}

class KeysetUnusable extends Error {}

/** php-jwt's clock messages in this release (src/moodle/versions.ts). */
function timeMessages(setup: PlatformSetup): PhpJwtTimeMessages {
  return setup.world.moodle.line.wire.tokenTimeMessages;
}

async function downloadKeyset(setup: PlatformSetup, url: string): Promise<JwkSet> {
  let parsed: unknown;
  try {
    const answer = await setup.fetchKeyset(url);
    parsed = answer.status === 200 ? JSON.parse(answer.body) : null;
  } catch {
    parsed = null;
  }
  if (parsed === null || typeof parsed !== 'object')
    throw new KeysetUnusable('jwks_helper::fix_jwks_alg(): Argument #1 ($jwks) must be of type array, null given');
  const keys = (parsed as { keys?: unknown }).keys;
  if (!Array.isArray(keys))
    throw new KeysetUnusable('array_filter(): Argument #1 ($array) must be of type array, null given');
  return { keys: keys as JwkSet['keys'] };
}

async function verifySignature(
  setup: PlatformSetup,
  state: PlatformState,
  assertion: string,
): Promise<string | undefined> {
  const now = state.now();
  if (setup.tool.publicKeyPem !== undefined) {
    if (setup.tool.publicKeyPem.trim() === '') return 'error/No public key configured';
    return phpJwtDecode(assertion, pemLookup(setup.tool.publicKeyPem), now, timeMessages(setup));
  }
  const url = setup.tool.keysetUrl;
  if (!url) return 'error/No public keyset configured';
  // The cached keyset first; on any failure download it again, verify, and cache it on success.
  // Moodle caches the keyset as downloaded and reads the cached copy without fix_jwks_alg, so a key without "alg"
  // fails from the cache (php-jwt's parseKeySet wants it) and the keyset is downloaded again.
  const cached = state.cachedKeyset as JwkSet | undefined;
  if (
    cached &&
    Array.isArray(cached.keys) &&
    cached.keys.every((k) => typeof k === 'object' && k !== null && 'alg' in k)
  ) {
    try {
      const error = phpJwtDecode(assertion, keysetLookup(cached), now, timeMessages(setup));
      if (error === undefined) return undefined;
    } catch {
      // fall through to a fresh download
    }
  }
  const fresh = await downloadKeyset(setup, url);
  // Before MDL-83423 (4.4.5 / 4.5.1) no fix_jwks_alg fills a missing alg in, and php-jwt's parseKeySet refuses the
  // whole set for one such key (its words; the answer's shape on those releases is assumed, not observed).
  if (
    !fillsMissingKeyAlg(setup.world.moodle) &&
    fresh.keys.some((k) => typeof k === 'object' && k !== null && !('alg' in k))
  )
    return 'JWK must contain an "alg" parameter';
  const error = phpJwtDecode(assertion, keysetLookup(fixJwksAlg(fresh, assertion)), now, timeMessages(setup));
  if (error === undefined) state.cachedKeyset = fresh;
  return error;
}

/** /mod/lti/token.php — client_credentials with a JWT client assertion (facts A.5); a refusal is kept in the state. */
export async function handleToken(
  setup: PlatformSetup,
  state: PlatformState,
  request: ParsedRequest,
  response: ServerResponse,
): Promise<string> {
  const note = await answerToken(setup, state, request, response);
  if (!note.startsWith('200'))
    state.refuse({
      at: state.now(),
      endpoint: 'token',
      status: response.statusCode,
      said: `the tool asked token.php for an access token, and Moodle answered ${printable(note, 300)}`,
    });
  return note;
}

async function answerToken(
  setup: PlatformSetup,
  state: PlatformState,
  request: ParsedRequest,
  response: ServerResponse,
): Promise<string> {
  if (request.method !== 'POST' || request.contentType.split(';')[0] !== 'application/x-www-form-urlencoded') {
    return tokenError(response, 'invalid_request');
  }
  const p = (name: string) => request.params.get(name) ?? '';
  const assertion = p('client_assertion');
  if (!assertion || !p('client_assertion_type') || !p('grant_type') || !p('scope'))
    return tokenError(response, 'invalid_request');
  if (p('client_assertion_type') !== CLIENT_ASSERTION_TYPE || p('grant_type') !== 'client_credentials') {
    return tokenError(response, 'unsupported_grant_type');
  }
  const parts = assertion.split('.');
  let sub = '';
  try {
    const claims = JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8')) as { sub?: unknown };
    sub = typeof claims?.sub === 'string' ? claims.sub : '';
  } catch {
    sub = '';
  }
  if (parts.length !== 3 || !sub) return tokenError(response, 'invalid_request');
  if (sub !== setup.clientId) return tokenError(response, 'invalid_client');
  let error: string | undefined;
  try {
    error = await verifySignature(setup, state, assertion);
  } catch (thrown) {
    if (thrown instanceof KeysetUnusable) return fatalTypeError(response, thrown.message);
    error = (thrown as Error).message;
  }
  if (error !== undefined) return tokenError(response, error);
  const granted = grantScopes(p('scope'), setup.settings);
  if (granted.length === 0) return tokenError(response, 'invalid_scope');
  const { token, expiresIn } = state.issueToken(setup.typeId, granted);
  const body =
    `{\n  "access_token" : "${token}",\n  "token_type" ` +
    `: "Bearer",\n  "expires_in" : ${expiresIn},\n ` +
    ` "scope" : "${granted.join(' ')}"\n}`;
  send(response, 200, body, { 'content-type': 'text/html; charset=utf-8' });
  return `200 token for scopes ${granted.length}`;
}
