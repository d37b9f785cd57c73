import { compactVerify, errors as joseErrors, type CryptoKey } from 'jose';
import type { CauseId } from '../core/causes.js';
import type { CheckResult, Fix } from '../core/result.js';
import { CLAIM, type JsonObject } from './claims.js';
import { decodeJwt } from './decode.js';
import { rs256KeyFromJwk } from './jwk-cache.js';

/** How the tool has registered the platform (what Inspera support entered from Moodle's six values). */
export interface PlatformRegistration {
  issuer: string;
  clientId: string;
  deploymentIds: string[];
  authUrl: string;
  tokenUrl: string;
  keysetUrl: string;
}

export interface LaunchVerification {
  registrations: PlatformRegistration[];
  /** Fetch a keyset: the parsed JSON, a string saying why it could not be had, or undefined when none is available. */
  fetchKeyset(url: string): Promise<unknown>;
  /** The nonce this launch's state expects; undefined = not known (a pasted token). */
  expectedNonce?: string;
  /** Nonces already used (replay protection); the verifier adds this one when it passes. */
  usedNonces?: { has(nonce: string): boolean; add(nonce: string): unknown };
  now: number;
  leewaySeconds: number;
  /** How findings name the keyset (a file, a URL); default the registration's keyset URL. */
  keysetLabel?: string;
}

export interface LaunchReport {
  results: CheckResult[];
  header?: JsonObject;
  payload?: JsonObject;
  registration?: PlatformRegistration;
}

const INSPERA = "Inspera support (the tenant's LTI 1.3 registration for this Moodle)";

/** Each check of an id_token: its title, and the cause its failure shows (a failed check is proof: certainty 20). */
const CHECKS = {
  'jwt.format': { title: 'id_token is a JWT', cause: 'token-damaged' },
  'jwt.alg': { title: 'Signing algorithm', cause: 'token-claims' },
  'jwt.kid': { title: 'Key id', cause: 'platform-keyset' },
  'claim.iss': { title: 'Issuer (iss) is a registered platform', cause: 'issuer-mismatch' },
  'jwks.fetch': { title: 'Platform keyset reachable', cause: 'platform-keyset' },
  'jwks.kid': { title: 'Signing key is in the keyset', cause: 'platform-keyset' },
  'jwt.signature': { title: 'Signature', cause: 'platform-keyset' },
  'claim.aud': { title: 'Audience (aud) is the Client ID', cause: 'client-id' },
  'claim.azp': { title: 'Authorised party (azp)', cause: 'client-id' },
  'claim.exp': { title: 'Not expired (exp)', cause: 'clock-skew' },
  'claim.iat': { title: 'Issued in the past (iat)', cause: 'clock-skew' },
  'claim.nonce': { title: 'Nonce', cause: 'replay' },
  'claim.deployment_id': { title: 'Deployment ID', cause: 'deployment-id' },
  'claim.version': { title: 'LTI version', cause: 'token-claims' },
  'claim.message_type': { title: 'Message type', cause: 'token-claims' },
  'claim.sub': { title: 'User (sub)', cause: 'token-claims' },
  'claim.roles': { title: 'Roles', cause: 'token-claims' },
  'claim.resource_link': { title: 'Resource link', cause: 'token-claims' },
  'claim.target_link_uri': { title: 'Target link URI', cause: 'token-claims' },
} as const satisfies Record<string, { title: string; cause: CauseId }>;

function check(
  id: keyof typeof CHECKS,
  status: CheckResult['status'],
  finding: string,
  extra: Partial<CheckResult> = {},
): CheckResult {
  const { title, cause } = CHECKS[id];
  return {
    id,
    title,
    status,
    finding,
    ...(status === 'fail' || status === 'warn' ? { cause: { id: cause, certainty: 20 } } : {}),
    ...extra,
  };
}

function fix(system: Fix['system'], action: string, field?: string, value?: string, where?: string): Fix {
  return {
    system,
    action,
    ...(field ? { field } : {}),
    ...(value !== undefined ? { value } : {}),
    ...(where ? { where } : {}),
  };
}

function similarIssuer(iss: string, registered: string): string | undefined {
  const strip = (s: string) =>
    s
      .replace(/^https?:\/\//, '')
      .replace(/\/+$/, '')
      .toLowerCase();
  if (iss === registered) return undefined;
  if (strip(iss) !== strip(registered)) return undefined;
  if (registered.endsWith('/') && !iss.endsWith('/'))
    return 'the registered Platform ID ends with "/"; Moodle never sends one';
  if (registered.startsWith('http://') !== iss.startsWith('http://')) return 'http and https differ';
  return 'they differ only in letter case';
}

/** The RS256 signature, verified by jose with the platform's key. */
async function signatureCheck(idToken: string, alg: unknown, jwk: JsonObject): Promise<CheckResult> {
  if (alg !== 'RS256') return check('jwt.signature', 'fail', `not verified: the header's alg is not RS256`);
  let key: CryptoKey;
  try {
    key = await rs256KeyFromJwk(jwk);
  } catch (error) {
    return check(
      'jwt.signature',
      'fail',
      `the platform key ${String(jwk.kid)} cannot verify RS256 (${(error as Error).message})`,
    );
  }
  try {
    await compactVerify(idToken.trim(), key, { algorithms: ['RS256'] });
    return check('jwt.signature', 'pass', 'RS256 signature verified with the platform key');
  } catch (error) {
    return check(
      'jwt.signature',
      'fail',
      error instanceof joseErrors.JWSSignatureVerificationFailed
        ? 'the signature does not verify with the platform key ' +
            '(token altered, or signed by another key with the same kid)'
        : `the signature could not be verified: ${(error as Error).message}`,
    );
  }
}

/**
 * Check an id_token the way an LTI 1.3 tool must (LTI Core 1.3 §5.1.3, 1EdTech Security Framework §5.1.3) and report
 * every finding, not only the first.
 */
export async function verifyLaunchToken(idToken: string, options: LaunchVerification): Promise<LaunchReport> {
  const results: CheckResult[] = [];
  const decoded = decodeJwt(idToken);
  if (!decoded.ok) {
    results.push(
      check('jwt.format', 'fail', `the id_token ${decoded.reason}`, {
        fix: fix('inspera-lti', 'capture the whole id_token again (it is three base64url parts joined by dots)'),
      }),
    );
    return { results };
  }
  const { header, payload } = decoded.jwt;
  results.push(check('jwt.format', 'pass', 'three parts, header and payload decode'));
  const alg = header.alg;
  results.push(
    alg === 'RS256'
      ? check('jwt.alg', 'pass', 'RS256')
      : check('jwt.alg', 'fail', `header alg is ${JSON.stringify(alg)}; LTI 1.3 requires RS256`),
  );
  const kid = typeof header.kid === 'string' ? header.kid : undefined;
  results.push(
    kid
      ? check('jwt.kid', 'pass', `kid ${kid}`)
      : check('jwt.kid', 'fail', 'the header has no kid, so the tool cannot pick the key from the platform keyset'),
  );

  const iss = typeof payload.iss === 'string' ? payload.iss : '';
  const registration = options.registrations.find((r) => r.issuer === iss);
  if (registration) {
    results.push(check('claim.iss', 'pass', `iss ${iss} is registered`));
  } else if (options.registrations.length === 0) {
    results.push(check('claim.iss', 'skip', `iss ${JSON.stringify(iss)}; no recorded Platform ID to compare with`));
  } else {
    const near = options.registrations.map((r) => ({ r, why: similarIssuer(iss, r.issuer) })).find((x) => x.why);
    results.push(
      check(
        'claim.iss',
        'fail',
        near
          ? `iss ${JSON.stringify(iss)} does not match the ` +
              `registered Platform ID ${JSON.stringify(near.r.issuer)}: ` +
              `${near.why}`
          : `iss ${JSON.stringify(iss)} is not a registered platform` +
              (options.registrations.length
                ? ` (registered: ${options.registrations.map((r) => r.issuer).join(', ')})`
                : ''),
        {
          faq: 'F.1',
          evidence: `iss=${iss}`,
          fix: fix(
            'Inspera',
            'register the Platform ID exactly as Moodle shows it in Tool configuration details',
            'Platform ID',
            iss,
            INSPERA,
          ),
        },
      ),
    );
  }

  // Signature against the registered keyset.
  let signatureChecked = false;
  if (registration) {
    const keyset = await options.fetchKeyset(registration.keysetUrl);
    const where = options.keysetLabel ?? registration.keysetUrl;
    if (keyset === undefined) {
      results.push(check('jwks.fetch', 'skip', 'no keyset to check the signature with (give --keyset or --live)'));
    } else if (typeof keyset === 'string') {
      results.push(
        check('jwks.fetch', 'fail', `the tool could not read the platform keyset ${where}: ${keyset}`, {
          faq: 'F.12',
          fix: fix(
            'Inspera',
            "register Moodle's Public keyset URL ({Platform ID}/mod/lti/certs.php) and make sure it is reachable",
            'Public keyset URL',
            `${registration.issuer}/mod/lti/certs.php`,
            INSPERA,
          ),
        }),
      );
    } else {
      const keys = Array.isArray((keyset as { keys?: unknown }).keys) ? (keyset as { keys: JsonObject[] }).keys : [];
      const jwk = keys.find((k) => k.kid === kid);
      results.push(check('jwks.fetch', 'pass', `${keys.length} key${keys.length === 1 ? '' : 's'} in ${where}`));
      if (!jwk) {
        results.push(
          check(
            'jwks.kid',
            'fail',
            `no key with kid ${JSON.stringify(kid)} in ${where} ` +
              `(it has ${keys.map((k) => String(k.kid)).join(', ') || 'no kids'})`,
            {
              faq: 'F.12',
              fix: fix(
                'Inspera',
                "the registered Public keyset URL must be Moodle's certs.php of this site",
                'Public keyset URL',
                `${registration.issuer}/mod/lti/certs.php`,
                INSPERA,
              ),
            },
          ),
        );
      } else {
        results.push(check('jwks.kid', 'pass', `kid ${kid} found`));
        results.push(await signatureCheck(idToken, alg, jwk));
        signatureChecked = true;
      }
    }
  }
  if (!signatureChecked && !results.some((r) => r.id === 'jwt.signature')) {
    results.push(check('jwt.signature', 'skip', 'not checked: no usable platform key'));
  }

  // Audience and authorised party.
  const aud = payload.aud;
  const audiences = Array.isArray(aud) ? aud.map(String) : typeof aud === 'string' ? [aud] : [];
  const clientId = registration?.clientId;
  if (!clientId) {
    results.push(check('claim.aud', 'skip', 'not checked: platform not registered'));
  } else if (audiences.includes(clientId)) {
    results.push(check('claim.aud', 'pass', `aud ${JSON.stringify(aud)}`));
  } else {
    results.push(
      check('claim.aud', 'fail', `aud ${JSON.stringify(aud)} does not contain the registered Client ID ${clientId}`, {
        faq: 'F.3',
        fix: fix(
          'Inspera',
          "register the Client ID shown in Moodle's Tool configuration details",
          'Client ID',
          audiences[0],
          INSPERA,
        ),
      }),
    );
  }
  if (payload.azp !== undefined && clientId && payload.azp !== clientId) {
    results.push(check('claim.azp', 'fail', `azp ${JSON.stringify(payload.azp)} is not the Client ID ${clientId}`));
  } else if (audiences.length > 1 && payload.azp === undefined) {
    results.push(check('claim.azp', 'fail', 'aud has several values but there is no azp'));
  }

  // Times, with the stated leeway.
  const { now, leewaySeconds: leeway } = options;
  const exp = typeof payload.exp === 'number' ? payload.exp : undefined;
  const iat = typeof payload.iat === 'number' ? payload.iat : undefined;
  const skewFix = fix(
    'network',
    "synchronise both servers' clocks with NTP; Moodle's id_token is valid for only 60 seconds",
  );
  if (exp === undefined) results.push(check('claim.exp', 'fail', 'no exp claim'));
  else if (now > exp + leeway)
    results.push(
      check(
        'claim.exp',
        'fail',
        `expired ${now - exp} s ago (leeway ${leeway} s)${iat !== undefined ? `; issued ${now - iat} s ago` : ''}`,
        { faq: 'F.9', fix: skewFix },
      ),
    );
  else results.push(check('claim.exp', 'pass', `valid for ${exp - now} s more`));
  if (iat === undefined) results.push(check('claim.iat', 'fail', 'no iat claim'));
  else if (iat > now + leeway)
    results.push(
      check(
        'claim.iat',
        'fail',
        `issued ${iat - now} s in the future: the platform's clock is ahead of the tool's (leeway ${leeway} s)`,
        { faq: 'F.9', fix: skewFix },
      ),
    );
  else results.push(check('claim.iat', 'pass', `issued ${now - iat} s ago`));

  // Nonce.
  const nonce = typeof payload.nonce === 'string' ? payload.nonce : undefined;
  if (!nonce) results.push(check('claim.nonce', 'fail', 'no nonce claim'));
  else if (options.usedNonces?.has(nonce))
    results.push(
      check('claim.nonce', 'fail', 'this nonce was already used: the id_token was replayed', {
        fix: fix('Moodle', 'start a new launch from Moodle; an id_token is single use'),
      }),
    );
  else if (options.expectedNonce !== undefined && nonce !== options.expectedNonce)
    results.push(check('claim.nonce', 'fail', 'the nonce is not the one the tool sent in its authentication request'));
  else {
    results.push(
      check(
        'claim.nonce',
        'pass',
        options.expectedNonce !== undefined ? 'matches the login request, first use' : 'present',
      ),
    );
    options.usedNonces?.add(nonce);
  }

  results.push(...claimChecks(payload, registration));
  return { results, header, payload, ...(registration ? { registration } : {}) };
}

function claimChecks(payload: JsonObject, registration: PlatformRegistration | undefined): CheckResult[] {
  const results: CheckResult[] = [];
  const deployment = payload[CLAIM.deploymentId];
  if (typeof deployment !== 'string' || deployment === '') {
    results.push(check('claim.deployment_id', 'fail', 'no deployment_id claim'));
  } else if (registration && !registration.deploymentIds.includes(deployment)) {
    results.push(
      check(
        'claim.deployment_id',
        'fail',
        `deployment_id ${JSON.stringify(deployment)} is not registered ` +
          `(registered: ${registration.deploymentIds.map((d) => JSON.stringify(d)).join(', ') || 'none'})`,
        {
          fix: fix(
            'Inspera',
            "register the Deployment ID shown in Moodle's Tool configuration details",
            'Deployment ID',
            deployment,
            INSPERA,
          ),
        },
      ),
    );
  } else {
    results.push(check('claim.deployment_id', 'pass', `deployment_id ${deployment}`));
  }
  const version = payload[CLAIM.version];
  results.push(
    version === '1.3.0'
      ? check('claim.version', 'pass', '1.3.0')
      : check('claim.version', 'fail', `version ${JSON.stringify(version)}; expected "1.3.0"`),
  );
  const type = payload[CLAIM.messageType];
  results.push(
    type === 'LtiResourceLinkRequest' || type === 'LtiDeepLinkingRequest'
      ? check('claim.message_type', 'pass', String(type))
      : check('claim.message_type', 'fail', `message_type ${JSON.stringify(type)} is not one a tool handles here`),
  );
  const sub = payload.sub;
  results.push(
    typeof sub === 'string' && sub !== ''
      ? check('claim.sub', 'pass', `sub ${sub}`)
      : check('claim.sub', 'fail', 'no sub: the launch has no user'),
  );
  const roles = payload[CLAIM.roles];
  results.push(
    Array.isArray(roles)
      ? check(
          'claim.roles',
          'pass',
          roles.length ? roles.map((r) => String(r).split('#').pop()).join(', ') : 'none (anonymous)',
        )
      : check('claim.roles', 'fail', 'no roles claim (it must be an array)'),
  );
  const link = payload[CLAIM.resourceLink] as JsonObject | undefined;
  if (type === 'LtiResourceLinkRequest') {
    results.push(
      typeof link?.id === 'string' && link.id !== ''
        ? check('claim.resource_link', 'pass', `id ${link.id}${link.title ? ` (${String(link.title)})` : ''}`)
        : check('claim.resource_link', 'fail', 'no resource_link.id'),
    );
  }
  const target = payload[CLAIM.targetLinkUri];
  results.push(
    typeof target === 'string' && target !== ''
      ? check('claim.target_link_uri', 'pass', String(target))
      : check('claim.target_link_uri', 'fail', 'no target_link_uri'),
  );
  return results;
}
