import type { CauseId } from '../core/causes.js';
import type { CheckResult } from '../core/result.js';
import type { Config } from '../config/types.js';
import { InsperaLtiError } from '../errors.js';
import { decodeJwt } from '../lti/decode.js';
import { isRepostForm, parseForm, visibleText } from '../util/html.js';
import { siteOf } from '../util/site.js';
import { finding, type Finding, type Unchecked } from './diagnosis.js';
import { HAR_STEPS } from './tell-apart.js';
import { diagnoseError } from './from-error.js';
import { diagnoseToken } from './from-token.js';
import type { HarCookie, HarEntry } from './har/read.js';

export interface HarDiagnosis {
  findings: Finding[];
  passed: CheckResult[];
  /** What doctor found in the capture, step by step (redacted). */
  timeline: string[];
  /** What the capture could not show. */
  unchecked: Unchecked[];
}

const pass = (id: string, title: string, seen: string): CheckResult => ({
  id: `har.${id}`,
  title,
  status: 'pass',
  finding: seen,
});

const isAuth = (e: HarEntry) => e.url.pathname.endsWith('/mod/lti/auth.php');
const isLoginInit = (e: HarEntry) =>
  e.params.has('iss') && e.params.has('login_hint') && e.params.has('target_link_uri') && !isAuth(e);

/** The capture read so far: each step adds to it. */
interface Reading extends HarDiagnosis {
  entries: HarEntry[];
  config: Config;
}

/**
 * Find the LTI launch in a browser capture and diagnose from what crossed the wire: the login initiation, the
 * tool's authentication request to auth.php, Moodle's answer, the id_token form post and the tool's answer.
 * Evidence never includes tokens, cookie values, state or nonce.
 */
export async function diagnoseHar(entries: HarEntry[], config: Config, keyset: unknown): Promise<HarDiagnosis> {
  const login = entries.find(isLoginInit);
  const auths = entries.filter(
    (e) => isAuth(e) && (e.params.has('client_id') || e.params.has('redirect_uri') || e.params.has('scope')),
  );
  if (!login && auths.length === 0) {
    throw new InsperaLtiError(
      'INVALID_VALUE',
      "the capture holds no LTI launch (no login initiation and no request to Moodle's /mod/lti/auth.php)",
      `record the HAR of one launch: ${HAR_STEPS}`,
    );
  }
  const reading: Reading = { entries, config, findings: [], passed: [], timeline: [], unchecked: [] };
  if (login) readLoginInitiation(reading, login);
  if (auths[0]) readAuthentication(reading, auths[0], login);
  await readLaunches(reading, login, keyset);
  const { findings, passed, timeline, unchecked } = reading;
  return { findings, passed, timeline, unchecked };
}

/** Moodle's login initiation to the tool: what Moodle sent against what was recorded, and the tool's answer. */
function readLoginInitiation(r: Reading, login: HarEntry): void {
  const { platform } = r.config;
  r.timeline.push(
    `${login.method} ${login.url.origin}${login.url.pathname} ` +
      `— login initiation from Moodle (iss ${login.params.get('iss')}, ` +
      `client_id ${login.params.get('client_id') ?? '-'}, ` +
      `deployment ${login.params.get('lti_deployment_id') ?? '-'}, ` +
      `user ${login.params.get('login_hint')}) → ${login.status}`,
  );
  // What Moodle sent against what was recorded (and sent to Inspera): each differing value is its own cause.
  const compared: Array<
    [param: string, recorded: string | undefined, cause: CauseId, label: string, certainty: number]
  > = [
    ['iss', platform.platformId, 'issuer-mismatch', 'Platform ID', 30],
    ['client_id', platform.clientId, 'client-id', 'Client ID', 25],
    ['lti_deployment_id', platform.deploymentId, 'deployment-id', 'Deployment ID', 25],
  ];
  for (const [param, recorded, cause, label, certainty] of compared) {
    const sent = login.params.get(param);
    if (!recorded || !sent || sent === recorded) continue;
    const seen = `Moodle sent ${param} ${JSON.stringify(sent)}; the recorded ${label} is ${JSON.stringify(recorded)}`;
    r.findings.push(finding('har', cause, 'fail', seen, { certainty, value: sent }));
  }
  const redirected = login.status >= 300 && login.status < 400;
  if (redirected || (login.status === 200 && /auth\.php/.test(login.body))) {
    r.passed.push(
      pass('login-init', 'Tool accepted the login initiation', `HTTP ${login.status}, redirect to Moodle's auth.php`),
    );
    return;
  }
  const text = visibleText(login.body);
  r.timeline.push(`  the tool refused the login initiation: HTTP ${login.status} "${text.slice(0, 120)}"`);
  let matched = diagnoseError(text, 'har');
  // Moodle sent the recorded values byte for byte and the tool does not know them: it holds no registration of them.
  const asRecorded = compared.every(
    ([param, recorded]) => recorded !== undefined && login.params.get(param) === recorded,
  );
  const registrationWords: readonly CauseId[] = ['issuer-mismatch', 'client-id', 'deployment-id'];
  if (asRecorded && matched.some((f) => registrationWords.includes(f.cause.id)))
    matched = [
      ...matched.filter((f) => !registrationWords.includes(f.cause.id)),
      finding(
        'har',
        'tool-registration',
        'fail',
        `Moodle sent the recorded Platform ID, Client ID and Deployment ID byte for byte, and the tool refused the ` +
          `login initiation ("${text.slice(0, 120)}"): it holds no registration of this Moodle with them`,
        { certainty: 30 },
      ),
    ];
  r.findings.push(
    ...(matched.length
      ? matched
      : [
          finding(
            'har',
            'tool-rejected',
            'fail',
            `the tool answered the login initiation with HTTP ${login.status}: "${text.slice(0, 160)}"`,
          ),
        ]),
  );
}

/** What the tool's authentication request lacks or changed, as Moodle's auth.php requires it (facts A.4). */
function authRequestProblems(auth: HarEntry, login: HarEntry | undefined): string[] {
  const p = (name: string) => auth.params.get(name);
  const problems: string[] = [];
  if (p('scope') !== 'openid') problems.push(`scope ${JSON.stringify(p('scope') ?? '')} (must be openid)`);
  if (p('response_type') !== 'id_token')
    problems.push(`response_type ${JSON.stringify(p('response_type') ?? '')} (must be id_token)`);
  if (p('response_mode') !== 'form_post')
    problems.push(`response_mode ${JSON.stringify(p('response_mode') ?? '')} (must be form_post)`);
  if (p('prompt') && p('prompt') !== 'none')
    problems.push(`prompt ${JSON.stringify(p('prompt'))} (must be none or absent)`);
  for (const required of ['client_id', 'redirect_uri', 'login_hint', 'nonce'])
    if (!p(required)) problems.push(`no ${required}`);
  const hint = p('lti_message_hint');
  let launchid = '';
  try {
    launchid = String((JSON.parse(hint ?? '') as { launchid?: unknown }).launchid ?? '');
  } catch {
    launchid = '';
  }
  if (!launchid) problems.push('lti_message_hint has no launchid (not passed through verbatim)');
  else if (login && login.params.get('lti_message_hint') !== hint)
    problems.push('lti_message_hint differs from the one Moodle sent');
  return problems;
}

/** The tool's request to auth.php, and what Moodle answered it. */
function readAuthentication(r: Reading, auth: HarEntry, login: HarEntry | undefined): void {
  const p = (name: string) => auth.params.get(name);
  r.timeline.push(
    `${auth.method} ${auth.url.origin}${auth.url.pathname} ` +
      `— the tool's authentication request (client_id ` +
      `${p('client_id') ?? '-'}, redirect_uri ${p('redirect_uri') ?? '-'}) ` +
      `→ ${auth.status}`,
  );
  const problems = authRequestProblems(auth, login);
  if (login && p('login_hint') !== login.params.get('login_hint')) {
    r.findings.push(
      finding(
        'har',
        'login-hint',
        'fail',
        `the tool sent login_hint ${JSON.stringify(p('login_hint'))}, ` +
          `but Moodle's login initiation had ${JSON.stringify(login.params.get('login_hint'))}`,
        { certainty: 30 },
      ),
    );
  }
  if (problems.length)
    r.findings.push(
      finding('har', 'auth-request', 'fail', `the tool's request to auth.php: ${problems.join('; ')}`, {
        certainty: 25,
      }),
    );
  else
    r.passed.push(
      pass(
        'auth-request',
        "The tool's authentication request",
        'scope, response_type, response_mode, prompt and the hints as Moodle requires',
      ),
    );
  const repostSent =
    Boolean(auth.formParams.get('repost')) && !r.entries.some((e) => isAuth(e) && e.index < auth.index);
  if (repostSent) {
    r.findings.push(
      finding(
        'har',
        'repost',
        'fail',
        'the tool POSTed a non-empty "repost" field to auth.php, which skips Moodle\'s cross-site repost handshake',
        { certainty: 40 },
      ),
    );
  }
  const clientId = r.config.platform.clientId;
  if (clientId && p('client_id') && p('client_id') !== clientId) {
    r.findings.push(
      finding(
        'har',
        'client-id',
        'fail',
        `the tool sent client_id ${JSON.stringify(p('client_id'))}; ` +
          `the recorded Client ID is ${JSON.stringify(clientId)}`,
        { certainty: 20, value: clientId },
      ),
    );
  }
  readMoodleAnswer(r, auth, { wellFormed: problems.length === 0, repostSent });
}

/** Moodle's answer to the authentication request: the last auth.php response (after a repost page, if any). */
function readMoodleAnswer(r: Reading, auth: HarEntry, request: { wellFormed: boolean; repostSent: boolean }): void {
  const redirectUri = auth.params.get('redirect_uri') ?? '';
  const registeredRedirects = r.config.tool?.urls.redirectUrls ?? [];
  const unregistered = registeredRedirects.length > 0 && !registeredRedirects.includes(redirectUri);
  const answer = [...r.entries].reverse().find((e) => isAuth(e) && e.index >= auth.index && e.status > 0) ?? auth;
  const form = parseForm(answer.body);
  // Moodle's repost page first, when the tool's own request came without the session: the cookie came back with the
  // page's POST from Moodle's site, and the timeline says both, in their order.
  const first = answer !== auth && auth.cookiesSent !== undefined && !auth.cookiesSent.includes('MoodleSession');
  if (first && isRepostForm(parseForm(auth.body)))
    r.timeline.push(
      "  Moodle's session cookie did not go with the tool's request to auth.php: Moodle answered its cross-site " +
        "repost page, whose own POST from Moodle's site brought the cookie back",
    );
  const session = moodleSessionAt(r, auth, answer, request.repostSent);
  if (session.line) r.timeline.push(`  ${session.line}${first ? " (the repost page's POST)" : ''}`);
  if (/Invalid request/.test(answer.body) && !form?.fields.id_token && !form?.fields.error) {
    r.timeline.push(
      `  Moodle answered its "Invalid request" page (HTTP ${answer.status}); nothing was posted back to the tool`,
    );
    const registered = registeredRedirects.includes(redirectUri);
    if (registered && session.sent === false) {
      // The evidence names another cause, and the tool sent exactly the Redirection URI the config prescribes.
      r.passed.push(
        pass('redirect-uri', 'Redirection URI', `the tool sent ${redirectUri}, the one the config prescribes`),
      );
    } else {
      // With a session that never came (or a repost field) the redirect URI is the less likely cause.
      const weaker = request.repostSent || session.sent === false;
      r.findings.push(
        finding(
          'har',
          'redirect-uri',
          'fail',
          unregistered
            ? `Moodle showed "Invalid request": redirect_uri ` +
                `${JSON.stringify(redirectUri)} is not one of ` +
                `the Redirection URI(s) in the config (${registeredRedirects.join(', ')})`
            : `Moodle showed "Invalid request" for redirect_uri ` +
                `${JSON.stringify(redirectUri)}: Moodle's Redirection ` +
                `URI(s) must contain exactly this line`,
          { certainty: unregistered ? 30 : weaker ? 0 : 12, value: redirectUri },
        ),
      );
    }
    if (session.sent === false) {
      r.findings.push(
        finding(
          'har',
          'launch-state-lost',
          'fail',
          `Moodle's session cookie did not go with the request to auth.php: ${session.why}`,
          // With a repost field that is the root of it, and its own finding says so first.
          { certainty: request.repostSent ? 20 : 35 },
        ),
      );
    } else if (session.sent === true && !unregistered) {
      r.findings.push(
        finding(
          'har',
          'launch-state-lost',
          'fail',
          "Moodle's session cookie went with the request, so if not the " +
            'Redirection URI, Moodle lost the launch itself: a stale or ' +
            'replayed launch (the state is single use)',
          { certainty: 5 },
        ),
      );
    } else if (session.sent === undefined && request.wellFormed) {
      r.findings.push(
        finding(
          'har',
          'launch-state-lost',
          'fail',
          'the request itself was well-formed, so the other cause of ' +
            '"Invalid request" is a lost Moodle session or a stale/replayed ' +
            'launch (the capture holds no cookies to tell which)',
          { certainty: 5 },
        ),
      );
    }
  } else if (answer.status >= 400 && answer.body.trim() === '') {
    // A capture saved without content: the status alone says the launch stopped at Moodle, not why.
    r.timeline.push(`  Moodle answered HTTP ${answer.status}; the capture holds no page to read what it said`);
    r.unchecked.push({
      what:
        `why auth.php answered HTTP ${answer.status} (Moodle's "Invalid request" page is a 404): the capture holds ` +
        'no response bodies — save it again with "Save all as HAR (with content)"',
      blocks: true,
    });
  } else if (isRepostForm(form)) {
    r.timeline.push('  Moodle answered its cross-site repost page and the capture ends there');
  } else if (form?.fields.error) {
    const { error, error_description: description } = form.fields;
    r.timeline.push(`  Moodle posted back error=${error}${description ? ` (${description})` : ''} to ${form.action}`);
    r.findings.push(
      ...diagnoseError(`${error} ${description ?? ''}`, 'har').map((f) => ({
        ...f,
        cause: { ...f.cause, certainty: (f.cause.certainty ?? 0) + 15 },
      })),
    );
  } else if (form?.fields.id_token) {
    r.timeline.push(`  Moodle answered the id_token form (ltiAuthForm) for ${form.action}`);
    // An id_token that does not decode is no evidence that Moodle issued a good one (the token check says why).
    if (decodeJwt(form.fields.id_token).ok)
      r.passed.push(pass('auth-answer', 'Moodle issued an id_token', `posted to ${form.action}`));
  }
}

/** The id_token form post(s) to the tool: the token, the tool's state cookie, and the tool's answer. */
async function readLaunches(r: Reading, login: HarEntry | undefined, keyset: unknown): Promise<void> {
  const launches = r.entries.filter((e) => e.method === 'POST' && e.formParams.has('id_token'));
  const setBy = login
    ? r.entries
        .filter(
          (e) => e.index >= login.index && e.url.host === login.url.host && e.index < (launches[0]?.index ?? Infinity),
        )
        .flatMap((e) => e.setCookies)
    : [];
  const seenTokens = new Set<string>();
  for (const launch of launches) {
    const token = launch.formParams.get('id_token')!;
    const replayed = seenTokens.has(token);
    seenTokens.add(token);
    r.timeline.push(
      `POST ${launch.url.origin}${launch.url.pathname} ` +
        `— the id_token posted to the tool${replayed ? ' AGAIN (same token)' : ''} ` +
        `→ ${launch.status}`,
    );
    if (replayed) {
      r.findings.push(
        finding(
          'har',
          'replay',
          launch.status < 400 ? 'fail' : 'warn',
          `the same id_token was posted to the tool twice; the tool answered ${launch.status} the second time`,
          { certainty: 25 },
        ),
      );
      continue;
    }
    const received = Math.floor((launch.time || Date.now()) / 1000);
    const tokenDiagnosis = await diagnoseToken({
      token,
      config: r.config,
      keyset,
      receivedAt: received,
      source: 'har',
    });
    r.findings.push(...tokenDiagnosis.findings);
    r.passed.push(...tokenDiagnosis.passed);
    r.unchecked.push(...tokenDiagnosis.unchecked.filter((u) => !r.unchecked.some((v) => v.what === u.what)));
    if (typeof tokenDiagnosis.payload?.iat === 'number') {
      const skew = (tokenDiagnosis.payload.iat as number) - received;
      r.timeline.push(
        `  id_token issued ${Math.abs(skew)} s ${skew > 0 ? 'after' : 'before'} ` +
          `the browser posted it (the browser's clock)`,
      );
    }
    const cookieCause = readStateCookie(
      r,
      launch,
      setBy.filter((c) => c.name !== 'MoodleSession'),
    );
    readToolAnswer(r, launch, cookieCause);
  }
}

/** The tool's state cookie: set at login initiation, due back with the id_token POST. */
function readStateCookie(r: Reading, launch: HarEntry, state: HarCookie[]): CauseId | undefined {
  if (launch.cookiesSent === undefined && state.length === 0) {
    r.timeline.push(
      '  the capture has no cookie information (browsers leave cookies ' +
        'out of HARs unless asked), so the state cookie cannot be checked',
    );
    r.unchecked.push({ what: "the tool's state cookie: the capture holds no cookies" });
    return undefined;
  }
  if (!state.length) return undefined;
  const missing = state.filter((c) => !(launch.cookiesSent ?? []).includes(c.name));
  if (!missing.length) {
    r.passed.push(pass('state-cookie', 'Tool state cookie sent back', state.map((c) => c.name).join(', ')));
    return undefined;
  }
  const reasons = missing.map((c) =>
    !c.sameSite
      ? `${c.name} has no SameSite attribute (Chrome ` +
        `treats it as Lax: never sent inside an iframe, ` +
        `and with a top-level cross-site POST only within ` +
        `two minutes of being set)`
      : /none/i.test(c.sameSite) && !c.secure
        ? `${c.name} is SameSite=None without Secure (browsers reject it)`
        : /lax|strict/i.test(c.sameSite)
          ? `${c.name} is SameSite=${c.sameSite}: not sent on Moodle's cross-site POST`
          : `${c.name} (SameSite=None; Secure) was still ` +
            `not sent: third-party cookies blocked (iframe ` +
            `launch, Safari, private window)`,
  );
  const embedded = launch.requestHeaders.get('sec-fetch-dest') === 'iframe';
  const iframe = embedded ? ' The launch ran inside an iframe.' : '';
  // A cookie that is not SameSite=None; Secure stays behind on Moodle's cross-site POST in any window: its fix is the
  // cookie's attributes (Inspera's); only a good cookie kept back in an iframe is the launch container's.
  const badAttributes = missing.some((c) => !c.sameSite || !/none/i.test(c.sameSite) || !c.secure);
  const named: CauseId = badAttributes && !embedded ? 'tool-cookie-attributes' : 'state-cookie';
  r.findings.push(
    finding(
      'har',
      named,
      'fail',
      `the tool set ${missing.map((c) => c.name).join(', ')} ` +
        `at login initiation, but the browser did not ` +
        `send it back with the id_token POST: ${reasons.join('; ')}.${iframe}`,
      { certainty: 30 },
    ),
  );
  return named;
}

/** What the tool answered the id_token POST: its words read as doctor reads an error text. */
function readToolAnswer(r: Reading, launch: HarEntry, cookieCause: CauseId | undefined): void {
  if (launch.status < 400) {
    r.passed.push(pass('tool-answer', 'Tool accepted the launch', `HTTP ${launch.status}`));
    return;
  }
  const text = visibleText(launch.body);
  r.timeline.push(`  the tool answered HTTP ${launch.status}: "${text.slice(0, 160)}"`);
  // Words about a missing state cookie say less than the capture's own cookies: those already named the cause.
  const cookieWords: readonly CauseId[] = ['state-cookie', 'tool-cookie-attributes'];
  const matched = diagnoseError(text, 'har').filter((f) => !cookieCause || !cookieWords.includes(f.cause.id));
  r.findings.push(
    ...(matched.length || cookieCause
      ? matched
      : [
          finding(
            'har',
            launch.status === 404 ? 'not-configured-test' : 'tool-rejected',
            'fail',
            `the tool answered the launch with HTTP ${launch.status}: "${text.slice(0, 160)}"`,
          ),
        ]),
  );
}

/** Whether Moodle's session cookie went with the tool's request to auth.php, and, if not, what kept it away. */
function moodleSessionAt(
  r: Reading,
  auth: HarEntry,
  answer: HarEntry,
  repostSent: boolean,
): { sent?: boolean; why?: string; line?: string } {
  if (answer.cookiesSent === undefined) {
    r.unchecked.push({ what: "whether Moodle's session cookie reached auth.php: the capture holds no cookies" });
    return {};
  }
  const sent = answer.cookiesSent.includes('MoodleSession');
  const set = r.entries
    .filter((e) => e.index < answer.index && e.url.host === auth.url.host)
    .flatMap((e) => e.setCookies.filter((c) => c.name === 'MoodleSession').map((c) => ({ cookie: c, at: e })))
    .at(-1);
  const attributes = set
    ? `SameSite=${set.cookie.sameSite ?? '(none)'}${set.cookie.secure ? '; Secure' : ''}, set by ${set.at.url.pathname}`
    : 'set before the capture began';
  const line =
    `Moodle's session cookie (MoodleSession, ${attributes}) ` +
    `${sent ? 'went' : 'did not go'} with the request ` +
    `to auth.php`;
  if (sent) return { sent, line };
  const from = r.entries.find(
    (e) => e.index < auth.index && e.location && new URL(e.location, e.url).href === auth.url.href,
  );
  const crossSite = from
    ? siteOf(from.url) !== siteOf(auth.url)
    : auth.requestHeaders.get('sec-fetch-site') === 'cross-site';
  const lax = !set?.cookie.sameSite || /lax|strict/i.test(set.cookie.sameSite);
  const why = repostSent
    ? 'the tool sent a "repost" field, which skips the repost page Moodle answers a request without its session ' +
      'to bring the cookie back'
    : auth.requestHeaders.get('sec-fetch-dest') === 'iframe'
      ? `the request ran inside an iframe, where the ` +
        `browser sends no ${lax ? 'SameSite=Lax ' : ''}cookie ` +
        `of another site`
      : crossSite && auth.method === 'POST' && lax
        ? `the tool sent it as a cross-site POST, which ` +
          `never carries a ${set?.cookie.sameSite ? `SameSite=${set.cookie.sameSite}` : 'Lax (or no-SameSite)'} ` +
          `cookie`
        : !set
          ? 'the capture shows no MoodleSession being set (logged out, or the capture began after the login)'
          : 'the browser kept it back (third-party cookies blocked, or the cookie expired)';
  return { sent, why, line };
}
