import { cause, type CauseId } from '../../core/causes.js';
import type { Check, CheckResult, Fix } from '../../core/result.js';
import { result, type ValidateContext } from './context.js';
import { sameEndpoint, type AuthRequestSeen, type LoginAnswer } from './login-answer.js';
import { loginProbeMissing, sendLoginProbe, type LoginProbe, type LoginProbeSent } from './login-probe.js';

const ID = 'tool.registration';
const TITLE = 'Inspera holds a registration of this Moodle';

interface Trouble {
  cause: CauseId;
  finding: string;
  fix?: Fix;
}

const quoted = (text: string) => JSON.stringify(text.length > 160 ? `${text.slice(0, 160)}…` : text);

/** Where the answer sends the browser, said in one phrase. */
function describeAuthRequest(request: AuthRequestSeen): string {
  const how = request.via === 'redirect' ? 'a redirect' : request.via === 'form' ? 'a form' : 'a page that moves on';
  return `${how} (${request.method}) to ${request.endpoint}`;
}

/** The authentication request as Moodle's auth.php judges it (mod/lti/auth.php, 4.5.6 and 5.2.1+ alike). */
function authRequestTrouble(request: AuthRequestSeen, sent: LoginProbeSent, ctx: ValidateContext): Trouble[] {
  const p = request.params;
  const trouble: Trouble[] = [];
  const recorded = ctx.config.platform;
  if (!sameEndpoint(request.endpoint, sent.authRequestUrl))
    trouble.push({
      cause: 'tool-registration',
      finding:
        `Inspera sends the browser to ${request.endpoint}, not to this Moodle's Authentication request URL ` +
        `${sent.authRequestUrl}: its registration of this Platform ID holds another address`,
      fix: {
        ...cause('tool-registration').fix,
        field: 'Authentication request URL',
        value: sent.authRequestUrl,
        action: "register the Authentication request URL exactly as Moodle's Tool configuration details show it",
      },
    });
  if (p.client_id !== sent.fields.client_id)
    trouble.push({
      cause: 'client-id',
      finding: `Inspera answers with client_id ${quoted(p.client_id ?? '')}, not the recorded ${sent.fields.client_id}`,
      fix: { ...cause('client-id').fix, value: recorded.clientId!.trim() },
    });
  const redirectUris = ctx.config.tool!.urls.redirectUrls;
  if (p.redirect_uri && !redirectUris.includes(p.redirect_uri))
    trouble.push({
      cause: 'redirect-uri',
      finding:
        `Inspera asks Moodle to post the launch to ${quoted(p.redirect_uri)}, which is no line of the ` +
        `Redirection URI(s) this tenant's tool holds (${redirectUris.join(', ')}): auth.php shows "Invalid request"`,
      fix: {
        ...cause('redirect-uri').fix,
        value: p.redirect_uri,
        action: 'add it as a line of its own, keeping the lines there are',
      },
    });
  const missing = ['scope', 'response_type', 'client_id', 'redirect_uri', 'login_hint', 'nonce'].filter((k) => !p[k]);
  if (missing.length)
    trouble.push({ cause: 'auth-request', finding: `the request to auth.php lacks ${missing.join(', ')}` });
  if (p.login_hint && p.login_hint !== sent.fields.login_hint)
    trouble.push({
      cause: 'login-hint',
      finding: `Inspera changes login_hint (${quoted(p.login_hint)} back for ${quoted(sent.fields.login_hint!)})`,
    });
  if (p.lti_message_hint !== sent.fields.lti_message_hint)
    trouble.push({
      cause: 'auth-request',
      finding:
        p.lti_message_hint === undefined
          ? 'Inspera does not pass lti_message_hint on: auth.php finds no launch ("No launch id in LTI hint")'
          : `Inspera changes lti_message_hint (${quoted(p.lti_message_hint)}): auth.php finds no launch`,
    });
  for (const [key, want] of [
    ['scope', 'openid'],
    ['response_type', 'id_token'],
    ['response_mode', 'form_post'],
  ] as const)
    if (p[key] !== undefined && p[key] !== want)
      trouble.push({ cause: 'auth-request', finding: `${key} is ${quoted(p[key]!)}, not ${want}` });
  if (p.response_mode === undefined)
    trouble.push({ cause: 'auth-request', finding: 'no response_mode: auth.php answers "Invalid response_mode"' });
  if (p.prompt && p.prompt !== 'none')
    trouble.push({
      cause: 'auth-request',
      finding: `prompt is ${quoted(p.prompt)}: auth.php answers "Invalid prompt"`,
    });
  return trouble;
}

function noRegistration(sent: LoginProbeSent, seen: string, status: 'fail' | 'warn'): CheckResult {
  const { iss: platformId, client_id: clientId, lti_deployment_id: deploymentId } = sent.fields;
  return result(
    ID,
    TITLE,
    status,
    `Inspera answered a login initiation from ${platformId} (client_id ${clientId}, lti_deployment_id ` +
      `${deploymentId}) with ${seen}: ${
        status === 'fail'
          ? 'it holds no registration of this Moodle with these values'
          : 'no redirect to Moodle, which suggests it holds no registration of this Moodle with these values'
      }`,
    {
      cause: { id: 'tool-registration', certainty: status === 'fail' ? 20 : 0 },
      fix: {
        ...cause('tool-registration').fix,
        value: `Platform ID ${platformId}, Client ID ${clientId}, Deployment ID ${deploymentId}`,
      },
      evidence: `POST ${sent.url}`,
    },
  );
}

/** What the answer without an authentication request shows. */
function judgeNoRequest(probe: LoginProbe, answer: LoginAnswer): CheckResult {
  const { sent } = probe;
  const text = answer.text ? ` ${quoted(answer.text)}` : '';
  if (answer.status === 404 || answer.status === 405)
    return result(
      ID,
      TITLE,
      'skip',
      `not checked: the Initiate login URL answered HTTP ${answer.status} (tool.login-init)`,
    );
  if (answer.elsewhere) {
    const toolHost = new URL(sent.url).host;
    let host = '';
    try {
      host = new URL(answer.elsewhere).host;
    } catch {
      // an unreadable Location: another place
    }
    if (host === toolHost)
      return result(
        ID,
        TITLE,
        'skip',
        `not decided: Inspera first sends the browser to its own page ${answer.elsewhere}, which a probe does not ` +
          'follow (a HAR of one launch shows the rest: doctor --har)',
      );
    return noRegistration(sent, `a redirect to ${answer.elsewhere}, not to Moodle's auth.php`, 'fail');
  }
  if (answer.status >= 400 && answer.status < 500) return noRegistration(sent, `HTTP ${answer.status}${text}`, 'fail');
  return noRegistration(sent, `HTTP ${answer.status}${text}`, 'warn');
}

/**
 * Inspera knows this Moodle: a login initiation with the recorded values is answered with an authentication request to
 * the recorded Authentication request URL, with the recorded Client ID and a registered Redirection URI — and with
 * every parameter Moodle's auth.php requires.
 */
export const registrationCheck: Check<ValidateContext> = {
  id: ID,
  title: TITLE,
  faq: 'A.3',
  async run(ctx) {
    const missing = loginProbeMissing(ctx);
    if (missing) return result(ID, TITLE, 'skip', `not checked: ${missing}`);
    const probe = await sendLoginProbe(ctx);
    // Moodle's POST first; the GET only where it reached auth.php and the POST did not.
    const answer = probe.postAnswer?.request
      ? probe.postAnswer
      : probe.getAnswer?.request
        ? probe.getAnswer
        : (probe.postAnswer ?? probe.getAnswer);
    if (!answer) return result(ID, TITLE, 'skip', `not checked: ${probe.post.ok ? '' : probe.post.failure.message}`);
    if (!answer.request) return judgeNoRequest(probe, answer);
    const trouble = authRequestTrouble(answer.request, probe.sent, ctx);
    const byPost = probe.postAnswer?.request !== undefined;
    const how = `${describeAuthRequest(answer.request)}${byPost ? '' : ' (to a GET; its answer to a POST did not)'}`;
    if (trouble.length) {
      const first = trouble[0]!;
      return result(ID, TITLE, 'fail', `${trouble.map((t) => t.finding).join('; ')} (its answer: ${how})`, {
        cause: { id: first.cause, certainty: 20 },
        fix: first.fix ?? cause(first.cause).fix,
      });
    }
    return result(
      ID,
      TITLE,
      byPost ? 'pass' : 'warn',
      `Inspera answers this Moodle's login initiation with ${how}, client_id ${answer.request.params.client_id}, ` +
        `redirect_uri ${answer.request.params.redirect_uri}${byPost ? '' : ": Moodle's launch sends a POST"}`,
      byPost
        ? { observed: { authRequest: `${answer.request.method} ${answer.request.via}` } }
        : { cause: { id: 'tool-rejected' } },
    );
  },
};
