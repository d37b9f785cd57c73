import type { CauseId } from '../core/causes.js';

/**
 * Messages people actually see, matched to their causes: Moodle's own (auth.php, token.php, services.php) and the
 * common LTI tool libraries' (ltijs, pylti1.3, lti-1-3-php, jose) — and inspera-lti's simulated tool's.
 */
export interface KnownMessage {
  pattern: RegExp;
  /** The message as its system says it, word for word (the catalogue lists them; near misses are measured to them). */
  examples: readonly string[];
  cause: CauseId;
  /** Who says this, and what it means. */
  meaning: string;
  /** Another cause the same words are as true of (a weaker reading, listed after the first). */
  also?: { cause: CauseId; meaning: string };
}

/** A case-insensitive pattern matching any of the given ones (alternatives kept readable, a few to a line). */
function anyOf(...patterns: RegExp[]): RegExp {
  return new RegExp(patterns.map((p) => p.source).join('|'), 'i');
}

export const KNOWN_MESSAGES: readonly KnownMessage[] = [
  {
    pattern: /"kid" (invalid|empty), unable to lookup correct key/i,
    examples: ['"kid" invalid, unable to lookup correct key', '"kid" empty, unable to lookup correct key'],
    cause: 'tool-key',
    meaning:
      "Moodle token.php: the client assertion's kid is not in the " +
      'keyset downloaded from the Public keyset set in Moodle',
  },
  {
    pattern: /kid must be provided in JWT header/i,
    examples: ['Error: kid must be provided in JWT header.'],
    cause: 'tool-key',
    meaning: 'Moodle token.php: the client assertion has no kid',
  },
  // (pylti1.3 says "Can't decode id_token: Signature verification failed" of the id_token: Moodle's key, below.)
  {
    pattern: /(?<!id_token: )Signature verification failed/i,
    examples: ['Signature verification failed'],
    cause: 'tool-key',
    meaning: 'Moodle token.php: the client assertion does not verify with the tool key Moodle has',
  },
  {
    pattern: /JWK must contain an "?alg"? parameter/i,
    examples: ['JWK must contain an "alg" parameter'],
    cause: 'tool-keyset',
    meaning:
      "php-jwt, in Moodle's token.php before 4.4.5 / 4.5.1 (MDL-83423): a key of the tool keyset has no alg, so the " +
      'whole keyset is refused',
  },
  {
    pattern: anyOf(
      /JWK Set did not contain any keys|fix_jwks_alg|parseKeySet/,
      /must be of (the )?type array, null given|No public keyset configured/,
      /No public key configured/,
    ),
    examples: [
      'JWK Set did not contain any keys',
      'mod_lti\\local\\ltiopenid\\jwks_helper::fix_jwks_alg(): Argument #1 ($jwks) must be of type array, null given',
      'No public keyset configured',
      'No public key configured',
    ],
    cause: 'tool-keyset',
    meaning: 'Moodle token.php: Moodle could not download or read the tool keyset',
  },
  {
    pattern: /Cannot handle token (with (iat|nbf) )?prior to/i,
    examples: [
      'Cannot handle token with iat prior to 2026-01-01T10:00:00+0000',
      'Cannot handle token prior to 2026-01-01T10:00:00+0000',
    ],
    cause: 'clock-skew',
    meaning: "Moodle token.php: the client assertion was issued in the future by Moodle's clock (no leeway)",
  },
  {
    pattern: anyOf(
      /Expired token|token (has |is )?expired|jwt expired|ERR_JWT_EXPIRED/,
      /"exp" claim|expired \d+ s ago|Signature has expired/,
    ),
    examples: ['Expired token', 'jwt expired', 'ERR_JWT_EXPIRED', "Can't decode id_token: Signature has expired"],
    cause: 'clock-skew',
    meaning: 'a token was already expired when it was checked',
  },
  {
    pattern: /TOKEN_TOO_OLD/,
    examples: ['TOKEN_TOO_OLD'],
    cause: 'clock-skew',
    meaning:
      "ltijs: the id_token's iat is older than its tokenMaxAge (10 s " +
      'unless set): the clocks are apart, or the launch took that long',
  },
  {
    pattern:
      /not yet valid|issued in the future|ERR_JWT_CLAIM_VALIDATION_FAILED.*(iat|nbf)|"iat" claim|s in the future/i,
    examples: ['The token is not yet valid', 'ERR_JWT_CLAIM_VALIDATION_FAILED "iat" claim timestamp check failed'],
    cause: 'clock-skew',
    meaning: "a token was issued in the future by the checker's clock",
  },
  {
    pattern: /invalid_client/i,
    examples: ['invalid_client'],
    cause: 'client-unknown',
    meaning: 'Moodle token.php: no tool with this Client ID',
  },
  {
    pattern: /unauthorized_client/i,
    examples: ['unauthorized_client'],
    cause: 'client-id',
    meaning: "Moodle auth.php (posted back to the tool): the client_id is not the tool type's Client ID",
  },
  {
    pattern: /access_denied/i,
    examples: ['access_denied'],
    cause: 'login-hint',
    meaning: 'Moodle auth.php (posted back to the tool): login_hint is not the logged-in Moodle user',
  },
  {
    pattern: /No launch id in LTI hint|(Invalid|Missing) response_mode|Invalid prompt|unsupported_response_type/i,
    examples: [
      'No launch id in LTI hint',
      'Invalid response_mode',
      'Missing response_mode',
      'Invalid prompt',
      'unsupported_response_type',
    ],
    cause: 'auth-request',
    meaning: "Moodle auth.php: the tool's authentication request is malformed",
  },
  {
    pattern: /invalid_scope/i,
    examples: ['invalid_scope'],
    cause: 'scope',
    meaning: 'Moodle token.php: none of the requested scopes is enabled for the tool',
  },
  {
    pattern: /Refusing score with an earlier timestamp/i,
    examples: ['Refusing score with an earlier timestamp for item 12 and user 5'],
    cause: 'score-timestamp',
    meaning: 'Moodle services.php (409): the score is not newer than the stored grade',
  },
  {
    pattern: /No handler found for|Incorrect score received|No context or unsupported content type/i,
    examples: ['No handler found for /2/lineitems/7/lineitem/scores application/json', 'Incorrect score received'],
    cause: 'ags-request',
    meaning: 'Moodle services.php: wrong AGS URL, content type or score body',
  },
  {
    pattern: /Incorrect access detected|wwwrootmismatch/i,
    examples: [
      'Incorrect access detected, this server may only be accessed ' +
        'through "https://moodle.example.edu" address, sorry.',
    ],
    cause: 'wwwroot',
    meaning: 'Moodle: the request used another address than $CFG->wwwroot',
  },
  {
    pattern: anyOf(
      /MISSING_VALIDATION_COOKIE|State not found/,
      /cookies enabled in this browser|Missing session-id cookie|state cookie/,
      /INVALID_STATE|state (parameter )?(mismatch|does not match)/,
      /lti1p3_state/,
    ),
    examples: [
      'MISSING_VALIDATION_COOKIE',
      'State not found',
      'Please make sure you have cookies enabled in this browser and that you are not in private or incognito mode',
      'Missing session-id cookie',
      'INVALID_STATE',
    ],
    cause: 'state-cookie',
    meaning: 'the tool did not get its state cookie back with the launch (ltijs, lti-1-3-php, pylti1.3 wording)',
    also: {
      cause: 'tool-cookie-attributes',
      meaning:
        'the same words when the cookie is not SameSite=None; Secure — a capture (doctor --har) tells the two apart',
    },
  },
  // lti-1-3-php (Moodle as a tool, many PHP tools) — pylti1.3 likewise — keep the login's nonce in the session.
  {
    pattern: /Invalid Nonce/i,
    examples: ['Invalid Nonce.'],
    cause: 'state-cookie',
    meaning:
      "lti-1-3-php / pylti1.3: the nonce is not the one this browser's " +
      "session got at the login initiation — the tool's session cookie " +
      'did not come back',
    also: { cause: 'replay', meaning: 'a tool that forgets a nonce once used says the same of a replayed id_token' },
  },
  {
    // inspera-lti's embedded tool and serve tool refuse a Client ID they hold no registration of (as ltijs and
    // pylti1.3 do); Inspera's own words for it are not known (assumed to differ).
    pattern: /No LTI 1\.3 registration of issuer .* holds client_id/i,
    examples: ['No LTI 1.3 registration of issuer "https://moodle.example.edu" holds client_id "EhdzqulqmXxNDkw".'],
    cause: 'client-id',
    meaning:
      'the tool holds a registration of this Moodle, but not with the Client ID Moodle sent: the tool refused the ' +
      'login initiation',
  },
  {
    pattern: /LTI 1\.3 Registration not found for Issuer/i,
    examples: [
      'LTI 1.3 Registration not found for Issuer ' +
        'https://moodle.example.edu and Client ID EhdzqulqmXxNDkw. Please ' +
        'make sure the LMS has provided the right information.',
    ],
    cause: 'issuer-mismatch',
    meaning: 'lti-1-3-php: no registration with this issuer and Client ID together',
    also: {
      cause: 'client-id',
      meaning:
        'lti-1-3-php finds its registration by issuer and Client ID ' +
        'together, so a Client ID that differs gives the same message',
    },
  },
  {
    pattern: /Client id not registered for this issuer|AZP_DOES_NOT_MATCH_CLIENTID/i,
    examples: ['Client id not registered for this issuer', 'AZP_DOES_NOT_MATCH_CLIENTID'],
    cause: 'client-id',
    meaning:
      'the tool has this issuer registered with another Client ID than ' +
      'the aud/azp Moodle signs (lti-1-3-php, pylti1.3, ltijs)',
  },
  // ltijs looks its registration up by issuer and Client ID together: either may be the one that differs.
  {
    pattern: /UNREGISTERED_PLATFORM/,
    examples: ['UNREGISTERED_PLATFORM'],
    cause: 'issuer-mismatch',
    meaning: 'ltijs: no platform is registered with this issuer and Client ID together',
    also: {
      cause: 'client-id',
      meaning:
        'ltijs finds its registration by issuer and Client ID together, ' +
        'so a Client ID that differs gives the same message',
    },
  },
  {
    pattern: anyOf(
      /Unregistered platform|Registration not found/,
      /platform (is )?not (registered|found)|unknown issuer/,
      /ISS_CLAIM_DOES_NOT_MATCH|iss(uer)? (mismatch|does not match|invalid)/,
      /not a registered platform|does not match the registered Platform ID/,
    ),
    examples: ['Registration not found.', 'ISS_CLAIM_DOES_NOT_MATCH', 'Unregistered platform'],
    cause: 'issuer-mismatch',
    meaning: 'the tool does not know the issuer Moodle sends',
  },
  {
    pattern: anyOf(
      /Unable to find (a )?public key|Failed to fetch public key/,
      /no (key|public key) (found|with kid|applicable)/,
      /ERR_JWKS_NO_MATCHING_KEY|KEY_NOT_FOUND|KID_NOT_FOUND|KEYSET_NOT_FOUND/,
      /Error during fetch URL|could not read the platform keyset/,
      /platform keyset|JWKS (fetch|request) failed/,
    ),
    examples: [
      'Unable to find a public key which matches your JWT.',
      'Failed to fetch public key.',
      'KID_NOT_FOUND',
      'ERR_JWKS_NO_MATCHING_KEY',
    ],
    cause: 'platform-keyset',
    meaning: "the tool cannot get Moodle's key for the id_token's kid",
  },
  {
    pattern: anyOf(
      /invalid signature|INVALID_SIGNATURE|signature does not verify/,
      /ERR_JWS_SIGNATURE_VERIFICATION_FAILED/,
      /id_token: Signature verification failed/,
    ),
    examples: [
      'INVALID_SIGNATURE',
      "Can't decode id_token: Signature verification failed",
      'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    ],
    cause: 'platform-keyset',
    meaning: 'the id_token does not verify with the key the tool fetched',
  },
  {
    pattern: anyOf(
      /deployment[ _]id.*(not registered|unknown|invalid)/,
      /UNREGISTERED_DEPLOYMENT|Unable to find deployment|deployment not found/,
    ),
    examples: ['UNREGISTERED_DEPLOYMENT', 'Unable to find deployment.'],
    cause: 'deployment-id',
    meaning: 'the tool does not know the Deployment ID Moodle sends',
  },
  {
    pattern: /AUD_DOES_NOT_MATCH|aud(ience)? (mismatch|does not|invalid)|does not contain the registered Client ID/i,
    examples: ['AUD_DOES_NOT_MATCH'],
    cause: 'client-id',
    meaning: "the id_token's aud is not the Client ID the tool registered",
  },
  {
    pattern: anyOf(
      /nonce (was )?already used|NONCE_ALREADY_USED|NONCE_ALREADY_RECEIVED/,
      /nonce.*(replay|reuse)|replayed|already used/,
    ),
    examples: ['NONCE_ALREADY_RECEIVED', 'Nonce already used'],
    cause: 'replay',
    meaning: 'the tool saw the same id_token, nonce or state twice',
  },
  {
    pattern: /gradebook holds no grade|not FullyGraded|gradingProgress/i,
    examples: ['gradebook holds no grade'],
    cause: 'not-fully-graded',
    meaning: 'Moodle accepted the score but kept no grade: gradingProgress was not FullyGraded',
  },
  {
    pattern: /no lineitem|lineitem (is )?missing|MISSING_LINEITEM|no grade item/i,
    examples: ['MISSING_LINEITEM'],
    cause: 'accept-grades',
    meaning: "the launch's AGS claim has no lineitem: the activity has no grade item (Accept grades not in force)",
  },
  {
    pattern: /no AGS claim|Assignment and Grade Services" is off|AGS (is )?(off|not enabled)/i,
    examples: ['no AGS claim'],
    cause: 'ags-off',
    meaning: 'the launch has no AGS claim: grade services are off in Moodle',
  },
  {
    pattern: /Invalid public key type|Alg specified in the JWT header is incompatible/i,
    examples: [
      'Invalid public key type',
      'Error: Alg specified in the JWT header is incompatible with the JWK key type',
    ],
    cause: 'tool-key',
    meaning: "Moodle token.php: the tool's public key type or algorithm does not fit the client assertion",
  },
  {
    pattern: /Consumer key is incorrect/i,
    examples: ['Consumer key is incorrect.'],
    cause: 'client-unknown',
    meaning: "Moodle token.php: the client assertion's sub is not the tool's Client ID",
  },
  {
    pattern: /\bunsupported_grant_type\b/,
    examples: ['unsupported_grant_type'],
    cause: 'token-request',
    meaning:
      'Moodle token.php: grant_type is not client_credentials or ' +
      'client_assertion_type is not ' +
      'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
  },
  {
    pattern: /\binvalid_request\b/,
    examples: ['invalid_request', '{"error" : "invalid_request"}'],
    cause: 'token-request',
    meaning:
      'Moodle token.php: the token request is not a form POST with ' +
      'client_assertion, client_assertion_type, grant_type and scope, ' +
      'or its assertion is not a JWT with a sub',
    also: {
      cause: 'auth-request',
      meaning:
        'posted back to the tool by a platform whose authentication ' +
        "request lacked a parameter (Moodle's auth.php shows its " +
        '"Invalid request" page for that instead, and posts ' +
        'invalid_request back only with a description)',
    },
  },
  {
    pattern: /LTI tool used in this activity has been deleted|tooltypenotfounderror/i,
    examples: [
      'The LTI tool used in this activity has been deleted. If you need ' +
        'help, contact your teacher or site administrator.',
    ],
    cause: 'tool-deleted',
    meaning: "Moodle launch.php / view.php: the activity's external tool no longer exists in Moodle",
  },
  {
    pattern: /Can't find data record in database|Invalid course module ID/i,
    examples: [
      "Can't find data record in database table course_modules.",
      'Invalid course module ID',
      "Can't find data record in database.",
    ],
    cause: 'no-activity',
    meaning: 'Moodle: no activity with this id (view.php?id= and launch.php?id= take the course module id)',
  },
  {
    pattern: /Your session has (most likely )?timed out/i,
    examples: [
      'Your session has timed out. Please log in again.',
      'Your session has most likely timed out. Please check if you are ' +
        'logged in or go back to the previous screen and reload the page.',
    ],
    cause: 'launch-state-lost',
    meaning: 'Moodle: the Moodle session ended or its cookie did not come back',
  },
  {
    pattern: /Invalid request/i,
    examples: ['Invalid request'],
    cause: 'redirect-uri',
    meaning:
      'Moodle\'s "Invalid request" page at auth.php: an unregistered ' +
      'redirect_uri, or a lost launch (session cookie missing, stale or ' +
      'replayed launch); nothing is posted back',
    also: {
      cause: 'launch-state-lost',
      meaning: 'also appears when Moodle lost the launch (session cookie, stale or replayed launch)',
    },
  },
];

export interface MessageMatch {
  cause: CauseId;
  meaning: string;
  matched: string;
  also?: KnownMessage['also'];
}

/** Every known message in a text (a pasted error, a page body), strongest first, one per cause. */
export function matchMessages(text: string): MessageMatch[] {
  const matches: MessageMatch[] = [];
  for (const known of KNOWN_MESSAGES) {
    const hit = known.pattern.exec(text);
    if (hit && !matches.some((m) => m.cause === known.cause))
      matches.push({
        cause: known.cause,
        meaning: known.meaning,
        matched: hit[0],
        ...(known.also ? { also: known.also } : {}),
      });
  }
  return matches;
}
