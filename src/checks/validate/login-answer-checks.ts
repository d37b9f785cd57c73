import { cause } from '../../core/causes.js';
import type { Check, CheckResult } from '../../core/result.js';
import type { SetCookie } from '../../http/set-cookie.js';
import { laxReleases } from '../../moodle/versions.js';
import { LAUNCH_CONTAINERS } from '../../moodle/settings.js';
import { result, type ValidateContext } from './context.js';
import type { LoginAnswer } from './login-answer.js';
import { loginProbeMissing, sendLoginProbe } from './login-probe.js';
import { discoveredRelease } from './tool-checks.js';

/** The answer to Moodle's own kind of login initiation (POST), when it is an authentication request. */
async function answered(ctx: ValidateContext): Promise<LoginAnswer | string> {
  const missing = loginProbeMissing(ctx);
  if (missing) return `not checked: ${missing}`;
  const probe = await sendLoginProbe(ctx);
  const answer = probe.postAnswer;
  if (!answer?.request)
    return "not checked: Inspera's answer to the login initiation is no authentication request (tool.registration)";
  return answer;
}

/**
 * MDL-83526: after 4.5.12 / 5.0.8 / 5.1.5 / 5.2.1 Moodle's session cookie is SameSite=Lax. A tool that POSTs its
 * authentication request with its own `repost` field skips auth.php's repost page, so Moodle finds no session.
 */
export const repostCheck: Check<ValidateContext> = {
  id: 'tool.repost',
  title: "Inspera's authentication request and Moodle's SameSite=Lax session (MDL-83526)",
  faq: 'F.8',
  async run(ctx) {
    const answer = await answered(ctx);
    if (typeof answer === 'string') return result(this.id, this.title, 'skip', answer);
    const request = answer.request!;
    if (request.method === 'GET')
      return result(this.id, this.title, 'pass', "a GET: Moodle's session cookie goes with it, SameSite=Lax or not");
    if (!request.params.repost)
      return result(
        this.id,
        this.title,
        'pass',
        "a POST without repost: Moodle's own repost page recovers the session after MDL-83526",
      );
    const release = await discoveredRelease(ctx);
    const lax = release?.line.wire.sessionSameSite === 'lax';
    const said =
      `Inspera POSTs its authentication request with its own repost=${JSON.stringify(request.params.repost)}, ` +
      "which skips Moodle's repost page";
    const finding = !release
      ? `${said}: every launch fails on a Moodle of ${laxReleases()} (MDL-83526); this Moodle's version is not known`
      : lax
        ? `${said}, and Moodle ${release.number} sets its session cookie SameSite=Lax (MDL-83526): auth.php finds ` +
          'no session, and every launch ends in "Invalid request"'
        : `${said}: it works on Moodle ${release.number}, and every launch will fail once the site updates to ` +
          `${laxReleases()} (MDL-83526)`;
    return result(this.id, this.title, lax ? 'fail' : 'warn', finding, {
      cause: { id: 'repost', certainty: 20 },
      fix: cause('repost').fix,
    });
  },
};

/** The cookie that holds the launch's state: its value is the state sent to auth.php, else its name says so. */
function stateCookieOf(answer: LoginAnswer): SetCookie | undefined {
  const state = answer.request!.params.state;
  return (
    (state ? answer.cookies.find((c) => c.value === state || c.value.includes(state)) : undefined) ??
    answer.cookies.find((c) => /state|nonce/i.test(c.name))
  );
}

function cookieResult(ctx: ValidateContext, id: string, title: string, cookie: SetCookie): CheckResult {
  const attributes = `SameSite=${cookie.sameSite ?? '(none)'}${cookie.secure ? '; Secure' : ''}`;
  const said = `the state cookie ${cookie.name} is set ${attributes}`;
  const bad = (why: string, status: 'fail' | 'warn' = 'fail') =>
    result(id, title, status, `${said}: ${why}`, {
      cause: { id: 'tool-cookie-attributes', certainty: 20 },
      fix: cause('tool-cookie-attributes').fix,
    });
  if (!cookie.sameSite)
    return bad(
      "Chrome treats it as Lax: never sent into an iframe, and with Moodle's cross-site POST only within two minutes " +
        'of being set',
      'warn',
    );
  if (/^(lax|strict)$/i.test(cookie.sameSite))
    return bad("it stays behind on Moodle's cross-site POST of the id_token, in every window");
  if (!cookie.secure) return bad('browsers reject SameSite=None without Secure');
  const container = ctx.config.moodle.launchContainer;
  const embedded = LAUNCH_CONTAINERS[container].documentTarget === 'iframe';
  if (embedded && !cookie.partitioned)
    return result(
      id,
      title,
      'warn',
      `${said}, not Partitioned, and the tool is set to launch in an iframe (${LAUNCH_CONTAINERS[container].label}): ` +
        'a browser that blocks third-party cookies (Safari, a private window) keeps it back',
      { cause: { id: 'state-cookie' }, fix: cause('state-cookie').fix },
    );
  return result(id, title, 'pass', `${said}: it goes back with Moodle's cross-site POST`);
}

/** Inspera's state cookie, as its answer to the login initiation sets it: it must come back with the id_token POST. */
export const stateCookieCheck: Check<ValidateContext> = {
  id: 'tool.state-cookie',
  title: "Inspera's state cookie goes back with Moodle's POST",
  faq: 'F.7',
  async run(ctx) {
    const answer = await answered(ctx);
    if (typeof answer === 'string') return result(this.id, this.title, 'skip', answer);
    const cookie = stateCookieOf(answer);
    if (cookie) return cookieResult(ctx, this.id, this.title, cookie);
    return result(
      this.id,
      this.title,
      'skip',
      answer.cookies.length
        ? `not checked: none of the cookies the answer sets (${answer.cookies.map((c) => c.name).join(', ')}) ` +
            'holds the state'
        : 'not checked: the answer sets no cookie (the tool keeps its state another way)',
    );
  },
};
