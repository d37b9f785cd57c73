import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { autoSubmitPage, escapeHtml } from '../html.js';
import { redirect, sendHtml, type ParsedRequest } from '../http-server.js';
import type { PlatformState } from './state.js';
import type { PlatformSetup } from './types.js';

export const SESSION_COOKIE = 'MoodleSession';

export function sessionOf(request: ParsedRequest, state: PlatformState) {
  const id = request.cookies[SESSION_COOKIE];
  return id ? state.sessions.get(id) : undefined;
}

/** /login/index.php — the simulated site's login: POST username (any password); sets MoodleSession. */
export function handleLogin(setup: PlatformSetup, state: PlatformState, request: ParsedRequest, response: ServerResponse): void {
  if (request.method !== 'POST') {
    sendHtml(response, 200, '<!DOCTYPE html><html><body><form method="post" action="/login/index.php"><input name="username"/><input name="password" type="password"/><button>Log in</button></form></body></html>');
    return;
  }
  const username = request.params.get('username') ?? '';
  const user = setup.world.users.find((u) => u.username === username || String(u.id) === username);
  if (!user) {
    sendHtml(response, 200, '<!DOCTYPE html><html><body><p class="alert alert-danger">Invalid login, please try again</p></body></html>');
    return;
  }
  const session = state.newSession(user.id);
  // Moodle 4.5.11+ sets SameSite=Lax (MDL-83526); auth.php's repost page compensates for cross-site requests.
  redirect(response, `${setup.wwwroot}/my/`, { 'set-cookie': `${SESSION_COOKIE}=${session.id}; path=/; HttpOnly; SameSite=Lax` });
}

/**
 * /mod/lti/launch.php?id={cmid} — for an LTI 1.3 type: store the launch state in the session under a launchid and
 * answer the auto-submitting ltiInitiateLoginForm that POSTs the login initiation to the tool (facts A.3).
 */
export function handleLaunchPage(setup: PlatformSetup, state: PlatformState, request: ParsedRequest, response: ServerResponse): void {
  const session = sessionOf(request, state);
  if (!session) {
    redirect(response, `${setup.wwwroot}/login/index.php`);
    return;
  }
  const cmid = Number(request.params.get('id'));
  const { activity, course } = setup.world;
  if (cmid !== activity.cmid) {
    sendHtml(response, 404, `<!DOCTYPE html><html><body><p class="errormessage">Invalid course module ID</p></body></html>`);
    return;
  }
  const launchid = `ltilaunch${activity.instanceId}_${randomBytes(4).readUInt32BE() % 1_000_000_000}`;
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
  sendHtml(response, 200, autoSubmitPage(form, activity.name));
}

/**
 * /mod/lti/view.php?id={cmid} — the activity page. As in Moodle, the launch container decides how launch.php is
 * opened: Embed / Embed without blocks put it in an iframe (where browsers treat the tool as third party), New
 * window opens it in a new window, Existing window goes there directly.
 */
export function handleViewPage(setup: PlatformSetup, state: PlatformState, request: ParsedRequest, response: ServerResponse): void {
  if (!sessionOf(request, state)) {
    redirect(response, `${setup.wwwroot}/login/index.php`);
    return;
  }
  const { activity } = setup.world;
  if (Number(request.params.get('id')) !== activity.cmid) {
    sendHtml(response, 404, '<!DOCTYPE html><html><body><p class="errormessage">Invalid course module ID</p></body></html>');
    return;
  }
  const launch = `${setup.wwwroot}/mod/lti/launch.php?id=${activity.cmid}`;
  const title = escapeHtml(activity.name);
  switch (setup.settings.launchContainer) {
    case 'existing-window':
      redirect(response, launch);
      return;
    case 'new-window':
      sendHtml(response, 200, `<!DOCTYPE html><html><head><title>${title}</title></head><body><h2>${title}</h2><p><a id="launch" href="${escapeHtml(launch)}" target="_blank">Launch ${title} in a new window</a></p></body></html>`);
      return;
    default:
      sendHtml(response, 200, `<!DOCTYPE html><html><head><title>${title}</title></head><body><h2>${title}</h2><iframe id="contentframe" height="600px" width="100%" src="${escapeHtml(launch)}" allow="microphone *; camera *; geolocation *; fullscreen *"></iframe></body></html>`);
  }
}
