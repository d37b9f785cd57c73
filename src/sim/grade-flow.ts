import type { CheckResult } from '../core/result.js';
import type { HttpClient } from '../http/client.js';
import { CLAIM, SCOPE, type JsonObject } from '../lti/claims.js';
import type { SigningKey } from '../lti/keys.js';
import {
  getResults,
  postScore,
  requestAccessToken,
  scoreUrl,
  type Score,
  type TokenAnswer,
} from '../lti/service-client.js';

export interface GradeOptions {
  tokenUrl: string;
  clientId: string;
  toolKey: SigningKey;
  /** Fraction of the maximum to award (0..1). */
  score: number;
  /** Scopes to ask for; default: score, lineitem.readonly and result.readonly. */
  scopes?: string[];
  /** Post a second score whose timestamp is not newer than the first. */
  olderSecondScore?: boolean;
  /** Misbehaviours for the failure scenarios: "/scores" appended after the query, another user, another progress. */
  scoreUrlAfterQuery?: boolean;
  scoreUserId?: string;
  gradingProgress?: string;
  /** Reuse an access token while it is valid, as a real tool does (load mode); keyed by the requested scopes. */
  tokenCache?: Map<string, { answer: TokenAnswer; until: number }>;
  /** The score's timestamp (default now); never later than now: Moodle keeps it, and refuses any score not newer. */
  timestamp?: Date;
}

/** What the platform holds for the user after the score, read back through AGS results (as any tool could). */
export interface ReadBack {
  url: string;
  status: number;
  /**
   * Moodle's result for the user: the grade on the item's own scale (its maximum is the activity's "Maximum grade").
   */
  resultScore: number | null;
  resultMaximum: number | null;
  comment: string | null;
  timestamp: string | null;
}

export interface ScorePost {
  url: string;
  status: number;
  reason: string;
  body: string;
  score: Score;
}

export interface GradeOutcome {
  ok: boolean;
  stage: 'claim' | 'token' | 'score' | 'readback' | 'done';
  verdict: string;
  /** The token request and answer, without the access token itself. */
  token?: Omit<TokenAnswer, 'token' | 'response'> & { status: number; body: string };
  scores: ScorePost[];
  /** undefined when not read (result.readonly not granted, or the flow stopped before); null when no result is held. */
  readBack?: ReadBack | null;
  results: CheckResult[];
}

/**
 * What a Moodle services.php answer means (facts C, F.15–F.19). `fresh`: the request carried a token token.php granted
 * this run with the scope it needs — a 401 then means Moodle never saw it (facts: the Authorization header).
 */
function explainAgsAnswer(status: number, reason: string, fresh = false): string {
  if (status === 200) return 'accepted';
  if (status === 401 && fresh)
    return (
      'Unauthorized, though token.php granted this token with the scope moments ago: most likely Moodle never ' +
      'saw the Authorization header — the web server in front of it does not pass it to PHP (inspera-lti ' +
      'validate probes it; fix: Apache CGIPassAuth On, or fastcgi_param HTTP_AUTHORIZATION in nginx)'
    );
  if (status === 401)
    return (
      'Unauthorized: the bearer token is missing, expired (3600 s), for ' +
      'another tool type, or lacks the score scope'
    );
  if (status === 409)
    return (
      `${reason}: Moodle refuses a score whose timestamp ` +
      `is not newer than the stored grade's (in whole ` +
      `seconds); send strictly increasing timestamps, ` +
      `a second apart`
    );
  if (status === 400 && /No handler found/.test(reason))
    return (
      `${reason}: wrong URL (insert /scores before ` +
      `the query string) or content type (application/vnd.ims.lis.v1.score+json)`
    );
  if (status === 400 && /Incorrect score received/.test(reason))
    return (
      'Incorrect score received: a required field is missing or wrong ' +
      '(userId, timestamp, gradingProgress, activityProgress; ' +
      'scoreMaximum with scoreGiven), or the user is not a gradable ' +
      'student'
    );
  if (status === 404)
    return `${reason}: the course or grade item does not exist (no grade item unless Accept grades is in force)`;
  if (status === 403) return `${reason}: the tool is not allowed in this course`;
  return `HTTP ${status} ${reason}`;
}

export async function runGrade(http: HttpClient, payload: JsonObject, options: GradeOptions): Promise<GradeOutcome> {
  const results: CheckResult[] = [];
  const scores: ScorePost[] = [];
  const done = (
    ok: boolean,
    stage: GradeOutcome['stage'],
    verdict: string,
    extra: Partial<GradeOutcome> = {},
  ): GradeOutcome => ({ ok, stage, verdict, scores, results, ...extra });
  const ags = payload[CLAIM.ags] as { lineitem?: string; scope?: string[] } | undefined;
  if (!ags)
    return done(
      false,
      'claim',
      'the launch has no AGS claim: "IMS LTI Assignment and Grade ' +
        'Services" is off in Moodle, so Inspera cannot send marks',
    );
  if (!ags.lineitem)
    return done(
      false,
      'claim',
      'the AGS claim has no lineitem: the activity has no grade item ' +
        'because "Accept grades from the tool" is not in force',
    );

  const requested = options.scopes ?? [SCOPE.score, SCOPE.lineItemReadonly, SCOPE.resultReadonly];
  const cacheKey = requested.join(' ');
  const cached = options.tokenCache?.get(cacheKey);
  const answer =
    cached && cached.until > Date.now()
      ? cached.answer
      : await requestAccessToken(http, {
          tokenUrl: options.tokenUrl,
          clientId: options.clientId,
          key: options.toolKey,
          scopes: requested,
        });
  if (answer.token && answer !== cached?.answer)
    options.tokenCache?.set(cacheKey, { answer, until: Date.now() + ((answer.expiresIn ?? 3600) - 60) * 1000 });
  const { token, response, ...visible } = answer;
  const tokenView = {
    ...visible,
    status: response.status,
    body: token ? response.body.replace(token, '<access token>') : response.body,
  };
  if (!token) {
    return done(false, 'token', `token.php refused the client assertion: ${answer.error}`, { token: tokenView });
  }
  const missing = requested.filter((s) => !answer.granted!.includes(s));
  // Granted in this run (not an older cached one): a 401 on it is no expiry.
  const fresh = answer !== cached?.answer;
  if (!answer.granted!.includes(SCOPE.score)) {
    return done(
      false,
      'token',
      `token.php granted ${answer.granted!.map((s) => s.split('/').pop()).join(', ')} but not the score scope`,
      { token: tokenView },
    );
  }
  const max = 10;
  const first: Score = {
    userId: options.scoreUserId ?? String(payload.sub),
    scoreGiven: Math.round(options.score * max * 100) / 100,
    scoreMaximum: max,
    comment: 'Simulated mark from inspera-lti',
    timestamp: (options.timestamp ?? new Date()).toISOString(),
    activityProgress: 'Completed',
    gradingProgress: options.gradingProgress ?? 'FullyGraded',
  };
  const url = options.scoreUrlAfterQuery ? `${ags.lineitem}/scores` : scoreUrl(ags.lineitem);
  const post = async (score: Score) => {
    const sent = await postScore(http, url, token, score);
    // Errors raised before Moodle's handler carry their reason in a JSON body; the handler's own in the status line.
    let reason = sent.statusText;
    try {
      const body = JSON.parse(sent.body) as { reason?: unknown };
      if (typeof body.reason === 'string') reason = body.reason;
    } catch {
      // an empty or non-JSON body: keep the status line
    }
    const entry = { url, status: sent.status, reason, body: sent.body, score };
    scores.push(entry);
    return entry;
  };
  const firstPost = await post(first);
  if (firstPost.status !== 200)
    return done(
      false,
      'score',
      `the score POST was refused: ${explainAgsAnswer(firstPost.status, firstPost.reason, fresh)}`,
      { token: tokenView },
    );
  if (options.olderSecondScore) {
    const second = await post({
      ...first,
      scoreGiven: max,
      timestamp: new Date(Date.parse(first.timestamp) - 60_000).toISOString(),
    });
    if (second.status !== 200)
      return done(
        false,
        'score',
        `the second score POST was refused: ${explainAgsAnswer(second.status, second.reason)}`,
        { token: tokenView },
      );
  }
  const scopesNote = missing.length ? `; scopes not granted: ${missing.map((s) => s.split('/').pop()).join(', ')}` : '';
  if (!answer.granted!.includes(SCOPE.resultReadonly)) {
    return done(
      true,
      'done',
      `score accepted (HTTP 200); not read back: token.php did not grant result.readonly${scopesNote}`,
      { token: tokenView },
    );
  }
  const read = await getResults(http, ags.lineitem, token, first.userId);
  if (!read.results) {
    return done(
      false,
      'readback',
      `the score was accepted, but reading it back ` +
        `failed: GET ${read.url.split('?')[0]} answered ` +
        `${explainAgsAnswer(read.response.status, read.response.statusText)}`,
      { token: tokenView, readBack: null },
    );
  }
  const held = read.results.find((r) => String(r.userId) === first.userId);
  const readBack: ReadBack | null = held
    ? {
        url: read.url,
        status: read.response.status,
        resultScore: typeof held.resultScore === 'number' ? held.resultScore : null,
        resultMaximum: typeof held.resultMaximum === 'number' ? held.resultMaximum : null,
        comment: typeof held.comment === 'string' ? held.comment : null,
        timestamp: typeof held.timestamp === 'string' ? held.timestamp : null,
      }
    : null;
  const latest = scores.at(-1)!.score;
  if (!readBack || readBack.resultScore === null) {
    return done(
      false,
      'readback',
      `Moodle answered 200 but holds no grade for user ` +
        `${first.userId} (gradingProgress was not FullyGraded, ` +
        `or no scoreGiven)`,
      { token: tokenView, readBack },
    );
  }
  // Moodle scales the score to the grade item's maximum: 8/10 becomes 80 of 100.
  const expected =
    readBack.resultMaximum && latest.scoreMaximum
      ? ((latest.scoreGiven ?? 0) / latest.scoreMaximum) * readBack.resultMaximum
      : undefined;
  const held_ = `${readBack.resultScore}/${readBack.resultMaximum ?? '?'}`;
  if (expected !== undefined && Math.abs(expected - readBack.resultScore) > 0.01) {
    return done(
      false,
      'readback',
      `Moodle holds ${held_} for user ${first.userId}, ` +
        `not the ${latest.scoreGiven}/${latest.scoreMaximum} ` +
        `posted (${expected} of ${readBack.resultMaximum})`,
      { token: tokenView, readBack },
    );
  }
  return done(
    true,
    'done',
    `Moodle holds ${held_} for user ${first.userId} ` +
      `(the ${latest.scoreGiven}/${latest.scoreMaximum} ` +
      `posted, read back through AGS results)${scopesNote}`,
    { token: tokenView, readBack },
  );
}
