import type { ServerResponse } from 'node:http';
import { bareAutoSubmitForm, escapeHtml } from '../../util/html.js';
import { send, sendHtml, type ParsedRequest } from '../http-server.js';
import type { PlatformState, Session } from './state.js';
import type { PlatformSetup } from './types.js';
import { randomBuffer } from '../../util/random.js';

import { moodleIdCookies, SESSION_COOKIE, sessionCookie } from './cookies.js';

export { SESSION_COOKIE };

/** Moodle's redirect(): 303 See Other with a short HTML page (what a browser without redirects would show). */
function seeOther(response: ServerResponse, location: string, headers: Record<string, string | string[]> = {}): void {
  const href = escapeHtml(location);
  send(
    response,
    303,
    `<!DOCTYPE html><html><head><title>Redirect</title><meta ` +
      `http-equiv="refresh" content="0; url=${href}" ` +
      `/></head><body><div>This page should automatically ` +
      `redirect. If nothing is happening please use ` +
      `the continue link below.<br /><a href="${href}">Continue</a></div></body></html>`,
    { 'content-type': 'text/html; charset=utf-8', location, ...headers },
  );
}

/** The logged-in session of a request; a guest session (user 0, which every visitor gets) is none. */
export function sessionOf(request: ParsedRequest, state: PlatformState) {
  const session = visitorSession(request, state);
  return session && session.userId > 0 ? session : undefined;
}

function visitorSession(request: ParsedRequest, state: PlatformState) {
  const id = request.cookies[SESSION_COOKIE];
  return id ? state.sessions.get(id) : undefined;
}

/** The visitor's session, or a new guest one and the Set-Cookie that starts it (Moodle gives every visitor one). */
function guestSession(
  setup: PlatformSetup,
  request: ParsedRequest,
  state: PlatformState,
): { session: Session; cookie: Record<string, string> } {
  const existing = visitorSession(request, state);
  if (existing) return { session: existing, cookie: {} };
  const session = state.newSession(0);
  return { session, cookie: { 'set-cookie': sessionCookie(setup, request, session.id) } };
}

function loginPage(setup: PlatformSetup, session: Session): string {
  session.loginToken = randomBuffer(16).toString('base64url').slice(0, 32);
  const action = escapeHtml(`${setup.wwwroot}/login/index.php`);
  const wire = setup.world.moodle.line.wire;
  // 4.x: an sr-only link and an alert with 'invalidlogin'; 5.2: one alert, a bold title above the detail.
  const refused = session.loginError
    ? wire.loginError === 'title-and-detail'
      ? '<div class="alert alert-danger" id="loginerrormessage" role="alert">\n' +
        '<strong class="d-block mb-1">Unable to log in</strong>\n' +
        'Your login info may be incorrect. Please try again.\n</div>'
      : `<a href="#" id="loginerrormessage" class="sr-only">${escapeHtml(session.loginError)}</a>` +
        `<div class="alert alert-danger" role="alert">${escapeHtml(session.loginError)}</div>`
    : '';
  delete session.loginError;
  const guest =
    wire.guestLoginButton === 'shown'
      ? `<form action="${action}" method="post" id="guestlogin">
<input type="hidden" name="logintoken" value="${session.loginToken}">
<input type="hidden" name="username" value="guest" />
<input type="hidden" name="password" value="guest" />
<button type="submit">Access as a guest</button>
</form>
`
      : '';
  const site = escapeHtml(setup.world.siteName);
  const title = wire.pageTitles === 'with-site' ? `Log in to the site | ${site}` : `${site}: Log in to the site`;
  return `<!DOCTYPE html><html><head><title>${title}</title></head><body>
${refused}
<form class="login-form" action="${action}" method="post" id="login">
<input id="anchor" type="hidden" name="anchor" value="">
<input type="hidden" name="logintoken" value="${session.loginToken}">
<input type="text" name="username" id="username" value="" placeholder="Username" autocomplete="username">
<input type="password" name="password" id="password" value="" placeholder="Password" autocomplete="current-password">
<button type="submit" id="loginbtn">Log in</button>
</form>
${guest}</body></html>`;
}

/**
 * The Embed iframe's `allow` list as view.php builds it: each feature for the tool URL's scheme://host[:port]
 * ($ltiallow; empty when the URL does not parse), with 5.0's trailing ";".
 */
function iframeAllow(toolUrl: string, trailingSemicolon: boolean): string {
  let origin = '';
  try {
    const url = new URL(toolUrl.trim());
    origin = `${url.protocol}//${url.hostname}${url.port ? `:${url.port}` : ''}`;
  } catch {
    origin = '';
  }
  const features = ['microphone', 'camera', 'geolocation', 'midi', 'encrypted-media', 'autoplay'];
  return features.map((f) => `${f} ${origin}`).join('; ') + (trailingSemicolon ? ';' : '');
}

/**
 * /login/index.php as Moodle answers it: the page carries a `logintoken` bound to the visitor's (guest) session; a
 * POST without it, or with an unknown user or an empty password, is refused (303 back to the login page, which then
 * shows the refusal as the release does: "Invalid login, please try again", or 5.2's "Unable to log in"); a good
 * one starts a new session, sets MoodleSession and MOODLEID1_, and passes through the testsession redirect. Any
 * non-empty password is accepted: these are simulated users.
 */
export function handleLogin(
  setup: PlatformSetup,
  state: PlatformState,
  request: ParsedRequest,
  response: ServerResponse,
): void {
  const { session, cookie } = guestSession(setup, request, state);
  const loginUrl = `${setup.wwwroot}/login/index.php`;
  if (request.method !== 'POST') {
    const testsession = request.params.get('testsession');
    if (testsession && Number(testsession) === session.userId) {
      const wants = session.wantsUrl ?? `${setup.wwwroot}/my/`;
      delete session.wantsUrl;
      seeOther(response, wants, cookie);
      return;
    }
    sendHtml(response, 200, loginPage(setup, session), cookie);
    return;
  }
  const username = request.params.get('username') ?? '';
  const user = setup.world.users.find((u) => u.username === username);
  const tokenOk = session.loginToken !== undefined && request.params.get('logintoken') === session.loginToken;
  if (!user || !tokenOk || !request.params.get('password')) {
    session.loginError = 'Invalid login, please try again';
    seeOther(
      response,
      setup.world.moodle.line.wire.refusedLogin === 'loginredirect' ? `${loginUrl}?loginredirect=1` : loginUrl,
      cookie,
    );
    return;
  }
  // Moodle regenerates the session id on login and keeps what the session wanted.
  state.sessions.delete(session.id);
  const loggedIn = state.newSession(user.id);
  if (session.wantsUrl) loggedIn.wantsUrl = session.wantsUrl;
  seeOther(response, `${loginUrl}?testsession=${user.id}`, {
    'set-cookie': [
      sessionCookie(setup, request, loggedIn.id),
      ...moodleIdCookies(setup, randomBuffer(24).toString('base64')),
    ],
  });
}

/**
 * /mod/lti/launch.php?id={cmid} — for an LTI 1.3 type: store the launch state in the session under a launchid and
 * answer the auto-submitting ltiInitiateLoginForm that POSTs the login initiation to the tool (facts A.3).
 */
export function handleLaunchPage(
  setup: PlatformSetup,
  state: PlatformState,
  request: ParsedRequest,
  response: ServerResponse,
): void {
  // Moodle 4.x sends the LTI 1.3 login initiation before require_login: a visitor without a session gets the form
  // with login_hint=0 (and a guest session), and the launch fails later at auth.php. 5.0 (observed on 5.0.6+) runs
  // require_login first: such a visitor is sent to the login page, and back here once logged in.
  const { session, cookie } = guestSession(setup, request, state);
  const cmid = Number(request.params.get('id'));
  const { activity, course } = setup.world;
  if (cmid !== activity.cmid) {
    sendHtml(
      response,
      404,
      `<!DOCTYPE html><html><body><p class="errormessage">Can&#039;t find data record in database.</p></body></html>`,
    );
    return;
  }
  if (session.userId === 0 && setup.world.moodle.line.wire.launchWithoutSession === 'login-redirect') {
    session.wantsUrl = `${setup.wwwroot}${request.url.pathname}${request.url.search}`;
    seeOther(response, `${setup.wwwroot}/login/index.php`, cookie);
    return;
  }
  const launchid = `ltilaunch${activity.instanceId}_${randomBuffer(4).readUInt32BE() % 1_000_000_000}`;
  session.launches.set(launchid, `${course.id},${setup.typeId},${activity.cmid},basic-lti-launch-request,,,`);
  let target = setup.tool.toolUrl.trim();
  if (!target.includes('://')) target = `http://${target}`;
  const form = {
    name: 'ltiInitiateLoginForm',
    action: setup.tool.loginInitUrl,
    method: 'post',
    fields: {
      iss: setup.wwwroot,
      target_link_uri: target,
      login_hint: String(session.userId),
      lti_message_hint: JSON.stringify({ cmid: activity.cmid, launchid }),
      client_id: setup.clientId,
      lti_deployment_id: setup.typeId,
    },
  };
  sendHtml(response, 200, bareAutoSubmitForm(form, 'encType'), cookie);
}

/**
 * /mod/lti/view.php?id={cmid} — the activity page. As in Moodle, the launch container decides how launch.php is
 * opened: Embed / Embed without blocks put it in an iframe (where browsers treat the tool as third party), New
 * window opens it in a new window, Existing window goes there directly.
 */
export function handleViewPage(
  setup: PlatformSetup,
  state: PlatformState,
  request: ParsedRequest,
  response: ServerResponse,
): void {
  if (!sessionOf(request, state)) {
    // require_login: remember the page and send the visitor to the login page.
    const { session, cookie } = guestSession(setup, request, state);
    session.wantsUrl = `${setup.wwwroot}${request.url.pathname}${request.url.search}`;
    seeOther(response, `${setup.wwwroot}/login/index.php`, cookie);
    return;
  }
  const { activity } = setup.world;
  if (Number(request.params.get('id')) !== activity.cmid) {
    sendHtml(
      response,
      404,
      '<!DOCTYPE html><html><body><p class="errormessage">Can&#039;t find data record in database.</p></body></html>',
    );
    return;
  }
  const launch = `${setup.wwwroot}/mod/lti/launch.php?id=${activity.cmid}`;
  const triggered = escapeHtml(`${launch}&triggerview=0`);
  const { wire } = setup.world.moodle.line;
  const named = `${setup.world.course.shortname}: ${activity.name}`;
  const title = escapeHtml(wire.pageTitles === 'with-site' ? `${named} | ${setup.world.siteName}` : named);
  // The course index's link to the activity opens it by script too (legacy_activity_onclick_handler).
  const legacy =
    `<script>function legacy_activity_onclick_handler_1(e) ` +
    `{ e.halt(); window.open('${launch}', 'lti-${activity.cmid}'); ` +
    `return false; };</script>`;
  const page = (content: string) =>
    `<!DOCTYPE html><html><head><title>${title}</title></head><body><h2>${escapeHtml(activity.name)}` +
    `</h2>${content}${legacy}</body></html>`;
  switch (setup.settings.launchContainer) {
    case 'existing-window':
      seeOther(response, launch);
      return;
    case 'new-window':
      sendHtml(
        response,
        200,
        page(
          `<script language="javascript">//<![CDATA[\nwindow.open('${triggered}','lti-${activity.cmid}` +
            `');//]]\n</script>\n<p>${escapeHtml(activity.name)} ` +
            `opens in a new window.</p>\n<p><a target="_blank" ` +
            `href="${triggered}">Open in new window</a></p>`,
        ),
      );
      return;
    default:
      sendHtml(
        response,
        200,
        page(
          `<iframe id="contentframe" height="600px" width="100%" src="${triggered}" ` +
            `allow="${escapeHtml(iframeAllow(setup.tool.toolUrl, wire.iframeAllowEndsWithSemicolon))}" ` +
            `allowfullscreen="1"></iframe>`,
        ),
      );
  }
}
