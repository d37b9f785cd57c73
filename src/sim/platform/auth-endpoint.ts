import type { ServerResponse } from 'node:http';
import { signJwt } from '../../lti/sign.js';
import { bareAutoSubmitForm, escapeHtml } from '../../util/html.js';
import { sendHtml, type ParsedRequest } from '../http-server.js';
import { buildLaunchPayload } from './launch-message.js';
import { sessionOf } from './launch-page.js';
import { sessionCookie } from './cookies.js';
import { invalidRequestPage } from './pages.js';
import type { PlatformState } from './state.js';
import type { PlatformSetup } from './types.js';
import { randomHex } from '../../util/random.js';

function postBack(response: ServerResponse, redirectUri: string, fields: Record<string, string>): void {
  sendHtml(response, 200, bareAutoSubmitForm({ name: 'ltiAuthForm', action: redirectUri, method: 'post', fields }));
}

/**
 * The cross-site repost page (mod_lti/repost_crosssite): a full Moodle page whose form has id="autopostme" and no
 * name, action the request URI (relative, with the query for a GET), every posted field escaped, plus repost=true;
 * Moodle removes its Set-Cookie so the browser's own session cookie is sent on the repost.
 */
function repostPage(requestUri: string, fields: Record<string, string>): string {
  const inputs = Object.entries(fields)
    .map(([k, v]) => `    <input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('\n');
  return `<!DOCTYPE html>
<html dir="ltr" lang="en" xml:lang="en"><head><title></title></head><body class="pagelayout-popup">
<div id="page"><div role="main"><form action="${escapeHtml(requestUri)}" method="POST" id="autopostme">
${inputs}
    <input type="hidden" name="repost" value="true">
</form></div></div>
<script>
        document.getElementById("autopostme").submit();
</script>
</body></html>`;
}

/** PARAM_URL: an invalid URL becomes empty. */
function cleanUrl(value: string): string {
  try {
    const url = new URL(value);
    return /^https?:$/.test(url.protocol) ? value : '';
  } catch {
    return '';
  }
}

/**
 * /mod/lti/auth.php, with Moodle 4.x's checks in Moodle's order and Moodle's answers (facts A.4). Returns a short
 * note of what happened, for the request log.
 */
export async function handleAuth(
  setup: PlatformSetup,
  state: PlatformState,
  request: ParsedRequest,
  response: ServerResponse,
): Promise<string> {
  const p = (name: string) => request.params.get(name) ?? '';
  const session = sessionOf(request, state);

  // 0. Cross-site repost handshake: not logged in and no "repost" in the POST body.
  const postedRepost = request.method === 'POST' ? (new URLSearchParams(request.body).get('repost') ?? '') : '';
  if (!session && postedRepost === '') {
    const fields: Record<string, string> =
      request.method === 'POST' ? Object.fromEntries(new URLSearchParams(request.body)) : {};
    delete fields.repost;
    sendHtml(response, 200, repostPage(request.url.pathname + request.url.search, fields));
    return 'repost page (no Moodle session yet)';
  }

  const scope = p('scope');
  const responseType = p('response_type');
  const clientId = p('client_id');
  const redirectUri = cleanUrl(p('redirect_uri'));
  const loginHint = p('login_hint');
  const state_ = p('state');
  const nonce = p('nonce');
  let error = '';
  let description = '';
  // 1. Required parameters.
  if (!scope || !responseType || !clientId || !redirectUri || !loginHint || !nonce) error = 'invalid_request';
  // 2. lti_message_hint must carry a launchid.
  let launchid = '';
  if (!error) {
    try {
      const hint = JSON.parse(p('lti_message_hint')) as { launchid?: unknown };
      launchid = typeof hint === 'object' && hint !== null && typeof hint.launchid === 'string' ? hint.launchid : '';
    } catch {
      launchid = '';
    }
    if (!launchid) [error, description] = ['invalid_request', 'No launch id in LTI hint'];
  }
  // 3, 4.
  if (!error && scope !== 'openid') error = 'invalid_scope';
  if (!error && responseType !== 'id_token') error = 'unsupported_response_type';
  // 5. Consume the launch state (single use) and load the type config.
  let typeLoaded = false;
  if (!error) {
    const launchState = session?.launches.get(launchid);
    session?.launches.delete(launchid);
    typeLoaded = launchState !== undefined && launchState.split(',')[1] === setup.typeId;
    if (!typeLoaded) {
      error = 'invalid_request';
    } else if (clientId !== setup.clientId) {
      error = 'unauthorized_client';
    }
  }
  // 6. The login hint must be the logged-in user.
  if (!error && String(session?.userId) !== loginHint) error = 'access_denied';
  // A visitor without a Moodle session gets a new (guest) one with the error page, as Moodle starts a session for every
  // page but the repost page (which removes its Set-Cookie); with a session, the page sets none.
  const newSession: Record<string, string> = session
    ? {}
    : { 'set-cookie': sessionCookie(setup, request, state.newSession(0).id) };
  // 7. Exact redirect URI match — a hard failure with no post back.
  if (!typeLoaded) {
    invalidRequestPage(
      response,
      setup,
      `no type config loaded (${error}${description ? ': ' + description : ''})`,
      newSession,
    );
    return `Invalid request page: ${error}${description ? ` (${description})` : ''}, not posted back`;
  }
  const registered = setup.tool.redirectUrls.map((u) => u.trim());
  if (!registered.includes(redirectUri)) {
    invalidRequestPage(response, setup, `redirect_uri ${redirectUri} is not one of the Redirection URI(s)`, newSession);
    return `Invalid request page: redirect_uri ${redirectUri || '(empty)'} not registered`;
  }
  // 8, 9.
  if (!error && p('response_mode') !== 'form_post') [error, description] = ['invalid_request', 'Invalid response_mode'];
  if (!error && p('prompt') !== '' && p('prompt') !== 'none')
    [error, description] = ['invalid_request', 'Invalid prompt'];
  if (error) {
    postBack(response, redirectUri, {
      error,
      ...(description ? { error_description: description } : {}),
      state: state_,
    });
    return `posted back error=${error}${description ? ` (${description})` : ''}`;
  }
  // 10. Success: the signed id_token.
  const user = setup.world.users.find((u) => u.id === session!.userId)!;
  const sesskey = randomHex(5);
  const payload = buildLaunchPayload(setup, user, nonce || randomHex(10), state.now(), sesskey);
  const idToken = await signJwt(payload, setup.key);
  postBack(response, redirectUri, { id_token: idToken, state: state_ });
  return `posted id_token for user ${user.id} to ${redirectUri}`;
}
