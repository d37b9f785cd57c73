import { randomBytes } from 'node:crypto';
import type { HttpClient, HttpResponse } from '../http/client.js';
import { CLIENT_ASSERTION_TYPE, MEDIA_TYPE } from './claims.js';
import type { SigningKey } from './keys.js';
import { signJwt } from './sign.js';

export interface TokenAnswer {
  assertion: { header: Record<string, unknown>; payload: Record<string, unknown> };
  requested: string[];
  response: HttpResponse;
  /** token.php's error text (parsed leniently: Moodle does not JSON-escape it), or undefined. */
  error?: string;
  token?: string;
  granted?: string[];
  expiresIn?: number;
}

/** Parse token.php's answer. Its error body is string-templated, so a `"` in the message makes it invalid JSON. */
export function parseTokenBody(body: string): { json?: Record<string, unknown>; error?: string; lenient: boolean } {
  try {
    const json = JSON.parse(body) as Record<string, unknown>;
    return { json, ...(typeof json.error === 'string' ? { error: json.error } : {}), lenient: false };
  } catch {
    const match = /"error"\s*:\s*"([\s\S]*)"\s*\}\s*$/.exec(body);
    return match ? { error: match[1]!, lenient: true } : { lenient: false };
  }
}

/** client_credentials with a signed JWT client assertion: iss = sub = client id, aud = token URL (facts A.5). */
export async function requestAccessToken(
  http: HttpClient,
  options: {
    tokenUrl: string;
    clientId: string;
    key: SigningKey;
    scopes: string[];
    now?: number;
    kid?: string | null;
  },
): Promise<TokenAnswer> {
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const payload = {
    iss: options.clientId,
    sub: options.clientId,
    aud: options.tokenUrl,
    iat: now,
    exp: now + 300,
    jti: randomBytes(12).toString('hex'),
  };
  const kid = options.kid === undefined ? options.key.kid : options.kid;
  const assertion = await signJwt(payload, options.key, { kid });
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_assertion_type: CLIENT_ASSERTION_TYPE,
    client_assertion: assertion,
    scope: options.scopes.join(' '),
  });
  const response = await http.send({
    method: 'POST',
    url: options.tokenUrl,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
  const parsed = parseTokenBody(response.body);
  const answer: TokenAnswer = {
    assertion: { header: { typ: 'JWT', alg: 'RS256', ...(kid ? { kid } : {}) }, payload },
    requested: options.scopes,
    response,
  };
  if (response.status === 200 && typeof parsed.json?.access_token === 'string') {
    answer.token = parsed.json.access_token;
    answer.granted = String(parsed.json.scope ?? '')
      .split(' ')
      .filter(Boolean);
    answer.expiresIn = Number(parsed.json.expires_in);
  } else {
    answer.error =
      parsed.error ??
      (response.status === 200
        ? 'no access_token in the answer'
        : `HTTP ${response.status}${/<html/i.test(response.body) ? ' with an HTML page' : ''}`);
  }
  return answer;
}

/** The score URL: "/scores" goes before the query string of the lineitem URL (facts C; pylti1.3#53). */
export function scoreUrl(lineItemUrl: string): string {
  const url = new URL(lineItemUrl);
  url.pathname = url.pathname.replace(/\/$/, '') + '/scores';
  return url.toString();
}

/**
 * The results URL of a line item: "/results" before the query, and the user filter added (AGS 2.0, Moodle's results
 * service).
 */
function resultsUrl(lineItemUrl: string, userId?: string): string {
  const url = new URL(lineItemUrl);
  url.pathname = url.pathname.replace(/\/$/, '') + '/results';
  if (userId !== undefined) url.searchParams.set('user_id', userId);
  return url.toString();
}

export interface AgsResult {
  id?: string;
  userId?: string;
  resultScore?: number | null;
  resultMaximum?: number | null;
  comment?: string | null;
  timestamp?: string;
  scoreOf?: string;
}

/** GET a line item's results for one user (scope result.readonly). */
export async function getResults(
  http: HttpClient,
  lineItemUrl: string,
  token: string,
  userId: string,
): Promise<{ url: string; response: HttpResponse; results?: AgsResult[] }> {
  const url = resultsUrl(lineItemUrl, userId);
  const response = await http.send({
    url,
    headers: { authorization: `Bearer ${token}`, accept: MEDIA_TYPE.resultContainer },
  });
  let results: AgsResult[] | undefined;
  if (response.status === 200) {
    try {
      const parsed = JSON.parse(response.body) as unknown;
      if (Array.isArray(parsed)) results = parsed as AgsResult[];
    } catch {
      // not JSON: reported by the caller from the status and body
    }
  }
  return { url, response, ...(results ? { results } : {}) };
}

export interface Score {
  userId: string;
  scoreGiven?: number;
  scoreMaximum?: number;
  comment?: string;
  timestamp: string;
  activityProgress: string;
  gradingProgress: string;
}

/** POST a score to a score URL (normally `scoreUrl(lineitem)`). */
export async function postScore(http: HttpClient, url: string, token: string, score: Score): Promise<HttpResponse> {
  return http.send({
    method: 'POST',
    url,
    headers: { authorization: `Bearer ${token}`, 'content-type': MEDIA_TYPE.score },
    body: JSON.stringify(score),
  });
}
