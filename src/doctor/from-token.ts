import type { CheckResult } from '../core/result.js';
import type { Config } from '../config/types.js';
import { INSPERA_PARAMETERS, describeParameter } from '../inspera/custom-parameters.js';
import { insperaExpectations } from '../inspera/launch-expectations.js';
import { CLAIM, type JsonObject } from '../lti/claims.js';
import { decodeJwt } from '../lti/decode.js';
import { tokenFormChecks } from '../lti/token-form.js';
import { verifyLaunchToken, type PlatformRegistration } from '../lti/verify-launch.js';
import { registrationFor } from '../moodle/registration.js';
import { asFinding, finding, type Finding, type Unchecked } from './diagnosis.js';

export interface TokenInput {
  token: string;
  config: Config;
  /** Where the keyset comes from: parsed JSON, a reason it could not be had, or undefined (signature not checked). */
  keyset?: unknown;
  /** When the token was received (a capture's time); without it a pasted token's expiry cannot be judged. */
  receivedAt?: number;
  /** Where the keyset came from, as findings should name it (a file, a URL); default the registered keyset URL. */
  keysetLabel?: string;
  source?: 'token' | 'har';
}

function registrations(config: Config): PlatformRegistration[] {
  const registration = registrationFor(config.platform);
  return registration ? [registration] : [];
}

/** A client assertion is the tool's JWT for token.php: sub = iss = client id, aud = the token URL, no LTI claims. */
function isClientAssertion(payload: JsonObject): boolean {
  return (
    payload[CLAIM.messageType] === undefined &&
    typeof payload.sub === 'string' &&
    payload.sub === payload.iss &&
    payload.nonce === undefined
  );
}

/** Whitespace around any string claim value: a pasted value that will not match. */
function whitespaceClaims(payload: JsonObject, path = ''): string[] {
  const found: string[] = [];
  for (const [key, value] of Object.entries(payload)) {
    const name = path ? `${path}.${key.split('/').pop()}` : key.split('/').pop()!;
    if (typeof value === 'string' && value !== value.trim()) found.push(name);
    else if (value && typeof value === 'object' && !Array.isArray(value))
      found.push(...whitespaceClaims(value as JsonObject, name));
  }
  return found;
}

export async function diagnoseToken(input: TokenInput): Promise<{
  findings: Finding[];
  passed: CheckResult[];
  unchecked: Unchecked[];
  payload?: JsonObject;
  header?: JsonObject;
}> {
  const source = input.source ?? 'token';
  const decoded = decodeJwt(input.token);
  if (!decoded.ok)
    return {
      findings: [],
      passed: [],
      unchecked: [
        {
          what:
            `the ${source === 'har' ? "capture's " : ''}id_token: ` +
            `it ${decoded.reason}, so none of its claims ` +
            `or its signature could be checked`,
          blocks: true,
        },
      ],
    };
  const { payload, header } = decoded.jwt;
  if (isClientAssertion(payload))
    return { ...diagnoseAssertion(payload, header, input.config), unchecked: [], payload, header };

  const now = input.receivedAt ?? Math.floor(Date.now() / 1000);
  // Without a recorded platform the token is taken at its word for iss, aud and deployment_id (nothing to compare them
  // with), so a given keyset still checks its signature.
  const recorded = registrations(input.config);
  const provisional = recorded.length === 0 && input.keyset !== undefined && typeof payload.iss === 'string';
  const report = await verifyLaunchToken(input.token, {
    registrations: provisional
      ? [
          {
            issuer: payload.iss as string,
            clientId: Array.isArray(payload.aud) ? String(payload.aud[0]) : String(payload.aud ?? ''),
            deploymentIds: [String(payload[CLAIM.deploymentId] ?? '')],
            authUrl: '',
            tokenUrl: '',
            keysetUrl: input.keysetLabel ?? 'the given keyset',
          },
        ]
      : recorded,
    fetchKeyset: async () => input.keyset,
    ...(input.keysetLabel ? { keysetLabel: input.keysetLabel } : {}),
    now,
    leewaySeconds: 5,
  });
  const findings: Finding[] = [];
  const passed: CheckResult[] = [];
  const unchecked: Unchecked[] = [];
  // The form needs no key and no config: a token that fails it is damaged, whatever else is known.
  const form = tokenFormChecks(decoded.jwt, input.token.trim().split('.')[2] ?? '');
  for (const result of form) {
    if (result.status === 'pass') passed.push({ ...result, id: `token.${result.id}` });
    else findings.push(asFinding(result, source, 'id_token: ')!);
  }
  const timesMalformed = form.some((r) => r.id === 'form.times' && r.status === 'fail');
  const notCompared = new Set(['claim.iss', 'claim.aud', 'claim.azp', 'claim.deployment_id']);
  for (const result of report.results) {
    if (provisional && notCompared.has(result.id)) continue;
    // Times that are no dates say nothing about the clocks.
    if (timesMalformed && (result.id === 'claim.exp' || result.id === 'claim.iat')) continue;
    if (result.id === 'jwt.signature' && result.status === 'skip') {
      unchecked.push({
        what:
          input.keyset === undefined
            ? "the id_token's signature: no platform keyset (give --keyset " +
              '<file|url>, or --live with the recorded Platform ID)'
            : `the id_token's signature: ${result.finding.replace(/^not checked: /, '')}`,
      });
      continue;
    }
    if (result.status === 'pass') {
      passed.push({ ...result, id: `token.${result.id}` });
      continue;
    }
    if (result.status !== 'fail') continue;
    // A pasted token has long expired: only a capture's timestamp says whether it had at launch time.
    if (result.id === 'claim.exp' && input.receivedAt === undefined) continue;
    // Without a recorded Client ID or Deployment ID there is nothing to compare with: say what Inspera must have.
    if (result.id === 'claim.aud' && !input.config.platform.clientId) continue;
    if (result.id === 'claim.deployment_id' && !input.config.platform.deploymentId) {
      const sent = payload[CLAIM.deploymentId];
      findings.push(
        finding(
          source,
          'deployment-id',
          'warn',
          `no Deployment ID is recorded; Moodle sent deployment_id ` +
            `${JSON.stringify(sent)} — Inspera must have ` +
            `exactly this one registered`,
          typeof sent === 'string' ? { value: sent } : {},
        ),
      );
      continue;
    }
    findings.push(asFinding({ ...result, cause: result.cause ?? { id: 'tool-rejected' } }, source, 'id_token: ')!);
  }
  if (
    !timesMalformed &&
    typeof payload.iat === 'number' &&
    typeof payload.exp === 'number' &&
    payload.exp - payload.iat !== 60
  ) {
    findings.push(
      finding(
        source,
        'token-claims',
        'warn',
        `id_token lives ${payload.exp - payload.iat} s; Moodle's always live 60 s (exp = iat + 60)`,
      ),
    );
  }
  for (const result of insperaExpectations(payload)) {
    const found = asFinding(result, source, 'id_token: ');
    if (found) findings.push(found);
    else if (result.status === 'pass') passed.push({ ...result, id: `token.${result.id}` });
  }
  const custom = (payload[CLAIM.custom] as Record<string, string> | undefined) ?? {};
  const known = new Set(INSPERA_PARAMETERS.map((p) => p.name));
  const addedByMoodle = new Set([
    'context_memberships_url',
    'system_setting_url',
    'context_setting_url',
    'link_setting_url',
  ]);
  for (const [name, value] of Object.entries(custom)) {
    if (addedByMoodle.has(name)) continue;
    const notes = describeParameter(name, String(value));
    // Known names with odd values, and misspellings of known names; other own parameters are the admin's business.
    const relevant = known.has(name) ? notes : notes.filter((n) => n.message.includes('did you mean'));
    for (const note of relevant)
      findings.push(finding(source, 'custom-parameter', 'warn', `id_token custom ${note.message}`));
  }
  const spaced = whitespaceClaims(payload);
  if (spaced.length)
    findings.push(
      finding(
        source,
        'recorded-value',
        'warn',
        `id_token values with spaces around them: ${spaced.join(', ')} (usually pasted into a Moodle field)`,
      ),
    );
  if (provisional)
    unchecked.push({
      what:
        'iss, aud and deployment_id against the recorded values: there is ' +
        'no config (give --config or record the six values)',
    });
  return { findings, passed, unchecked, payload, header };
}

/** A client assertion judged the way Moodle's token.php judges it (facts A.5). */
function diagnoseAssertion(
  payload: JsonObject,
  header: JsonObject,
  config: Config,
): { findings: Finding[]; passed: CheckResult[] } {
  const findings: Finding[] = [];
  const passed: CheckResult[] = [];
  const now = Math.floor(Date.now() / 1000);
  const clientId = config.platform.clientId;
  const sub = String(payload.sub ?? '');
  if (clientId && sub !== clientId)
    findings.push(
      finding(
        'assertion',
        'client-unknown',
        'fail',
        `client assertion sub ${JSON.stringify(sub)} ` +
          `is not the recorded Client ID ${JSON.stringify(clientId)}: ` +
          `token.php answers invalid_client`,
        { certainty: 20 },
      ),
    );
  else
    passed.push({
      id: 'assertion.sub',
      title: 'Client assertion sub',
      status: 'pass',
      finding: clientId ? 'sub is the recorded Client ID' : `sub ${sub}`,
    });
  if (header.alg !== 'RS256')
    findings.push(
      finding(
        'assertion',
        'tool-key',
        'fail',
        `client assertion alg ${JSON.stringify(header.alg)}; Moodle verifies RS256`,
      ),
    );
  if (header.kid === undefined)
    findings.push(
      finding(
        'assertion',
        'tool-key',
        'fail',
        'client assertion has no kid: with a keyset URL Moodle answers ' +
          '"error/Error: kid must be provided in JWT header."',
        { certainty: 20 },
      ),
    );
  else
    passed.push({
      id: 'assertion.kid',
      title: 'Client assertion kid',
      status: 'pass',
      finding: `kid ${String(header.kid)} (Moodle looks it up in the tool keyset)`,
    });
  if (typeof payload.iat === 'number' && payload.nbf === undefined && Math.floor(payload.iat) > now) {
    findings.push(
      finding(
        'assertion',
        'clock-skew',
        'fail',
        `client assertion iat is ${payload.iat - now} ` +
          `s in the future: token.php (no leeway) answers ` +
          `"Cannot handle token with iat prior to …"`,
        { certainty: 20 },
      ),
    );
  }
  if (typeof payload.exp !== 'number')
    findings.push(
      finding(
        'assertion',
        'tool-key',
        'warn',
        'client assertion has no exp (Moodle accepts it, other platforms do not)',
      ),
    );
  else if (typeof payload.iat === 'number' && payload.exp <= payload.iat)
    findings.push(
      finding(
        'assertion',
        'clock-skew',
        'fail',
        'client assertion exp is not after its iat: token.php answers "Expired token"',
      ),
    );
  const tokenUrl = config.platform.accessTokenUrl;
  if (tokenUrl && payload.aud !== tokenUrl && !(Array.isArray(payload.aud) && payload.aud.includes(tokenUrl))) {
    findings.push(
      finding(
        'assertion',
        'recorded-value',
        'warn',
        `client assertion aud ${JSON.stringify(payload.aud)} ` +
          `is not the Access token URL (Moodle ignores ` +
          `aud; other platforms check it)`,
      ),
    );
  }
  return { findings, passed };
}
