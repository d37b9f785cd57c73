import type { ServerResponse } from 'node:http';
import { FORM_CODES, LAUNCH_CONTAINERS, settingOfCode } from '../../moodle/settings.js';
import { escapeHtml } from '../../util/html.js';
import { send, sendHtml, type ParsedRequest } from '../http-server.js';
import { sessionOf } from './launch-page.js';
import type { PlatformState, Session } from './state.js';
import type { PlatformSetup } from './types.js';

/**
 * What an administrator's session reads of the Inspera tool, as Moodle 4.5 answers it: the page's M.cfg sesskey,
 * mod_lti_get_tool_types_and_proxies through /lib/ajax/service.php, and the tool's edit form
 * (typessettings.php?action=update). Reads only: the embedded platform takes no form submissions here.
 */

const NO_PERMISSION = 'Sorry, but you do not currently have permissions to do that (Change site configuration).';

/** Moodle's error page for an id it does not have (dml_missing_record_exception). */
const NO_RECORD_PAGE =
  '<!DOCTYPE html><html><body><p class="errormessage">Can&#039;t find data record in database.</p></body></html>';

const ONE_TOOL =
  'The embedded platform (inspera-lti serve platform) holds one tool, registered by its flags (--tool-login-url, ' +
  '--tool-redirect-url, --tool-url, --tool-keyset-url): it cannot add another.';

function isAdmin(setup: PlatformSetup, session: Session | undefined): boolean {
  return setup.world.users.some((u) => u.id === session?.userId && u.persona === 'admin');
}

/** /my/: a page carrying M.cfg, with the sesskey, for a logged-in session. */
export function handleMyPage(
  setup: PlatformSetup,
  state: PlatformState,
  request: ParsedRequest,
  response: ServerResponse,
) {
  const session = sessionOf(request, state);
  const cfg = session ? `<script>M.cfg = {"wwwroot":"${setup.wwwroot}","sesskey":"${session.sesskey}"};</script>` : '';
  sendHtml(
    response,
    200,
    `<!DOCTYPE html><html><head>${cfg}</head><body><h1>${setup.world.siteFullName}</h1></body></html>`,
  );
}

/** The registered tool as serialise_tool_type() describes it (mod/lti/locallib.php). */
function listedTool(setup: PlatformSetup, sesskey: string) {
  const id = Number(setup.typeId);
  return {
    id,
    name: 'Inspera Assessment',
    description: '',
    platformid: setup.wwwroot,
    clientid: setup.clientId,
    deploymentid: id,
    urls: {
      icon: '',
      edit:
        `${setup.wwwroot}/mod/lti/typessettings.php?action=update&id=${id}&sesskey=${sesskey}` +
        '&returnto=toolconfigure',
      publickeyset: `${setup.wwwroot}/mod/lti/certs.php`,
      accesstoken: `${setup.wwwroot}/mod/lti/token.php`,
      authrequest: `${setup.wwwroot}/mod/lti/auth.php`,
    },
    state: { text: 'Active', pending: false, configured: true, rejected: false, unknown: false },
    hascapabilitygroups: false,
    capabilitygroups: [],
    courseid: setup.tool.courseTool ? setup.world.course.id : 0,
    instanceids: [12],
    instancecount: 1,
  };
}

/** POST /lib/ajax/service.php?sesskey=…: the one external function Manage tools calls. */
export function handleAjax(
  setup: PlatformSetup,
  state: PlatformState,
  request: ParsedRequest,
  response: ServerResponse,
) {
  const session = sessionOf(request, state);
  const json = (body: unknown) =>
    send(response, 200, JSON.stringify(body), { 'content-type': 'application/json; charset=utf-8' });
  const exception = (message: string, errorcode: string) =>
    json([{ error: true, exception: { message, errorcode, link: '', moreinfourl: '' } }]);
  if (!session || request.params.get('sesskey') !== session.sesskey)
    return exception('Your session has most likely timed out. Please log in again.', 'servicerequireslogin');
  let calls: Array<{ methodname?: string; args?: { offset?: number } }>;
  try {
    calls = JSON.parse(request.body) as typeof calls;
  } catch {
    return exception('Invalid parameter value detected', 'invalidparameter');
  }
  const call = calls[0];
  if (call?.methodname !== 'mod_lti_get_tool_types_and_proxies')
    return exception(`Can't find data record in database table external_functions.`, 'invalidrecord');
  if (!isAdmin(setup, session)) return exception(NO_PERMISSION, 'nopermissions');
  const offset = Number(call.args?.offset ?? 0);
  json([
    {
      error: false,
      data: { types: offset === 0 ? [listedTool(setup, session.sesskey)] : [], proxies: [], limit: 60, offset },
    },
  ]);
}

const option = (value: string | number, label: string, chosen: boolean) =>
  `<option value="${value}"${chosen ? ' selected' : ''}>${escapeHtml(label)}</option>`;
const select = (name: string, options: Array<[string | number, string]>, chosen: string | number) =>
  `<select class="custom-select" name="${name}" id="id_${name}">${options
    .map(([v, l]) => option(v, l, String(v) === String(chosen)))
    .join('')}</select>`;
const text = (name: string, value: string) =>
  `<input type="text" class="form-control" name="${name}" id="id_${name}" value="${escapeHtml(value)}" size="64">`;
const textarea = (name: string, value: string) =>
  `<textarea id="id_${name}" name="${name}" class="form-control" rows="3" cols="60">\n${escapeHtml(value)}</textarea>`;
const { privacy: PRIVACY_VALUE, ags: AGS_VALUE, usage: USAGE_VALUE } = FORM_CODES;

/**
 * POST typessettings.php?id=N (the form saved): edit_form.php's validation for LTI 1.3 (an Initiate login URL and
 * Redirection URI(s) are required), then the stored tool takes the posted values and Moodle redirects to the tools
 * settings page; a refused form comes back with its messages.
 */
function saveToolSettings(setup: PlatformSetup, request: ParsedRequest, response: ServerResponse): void {
  const field = (name: string) => request.params.get(name) ?? '';
  const errors: Record<string, string> = {};
  if (field('lti_ltiversion') === '1.3.0') {
    if (!field('lti_initiatelogin').trim()) errors.lti_initiatelogin = 'Required';
    if (!field('lti_redirectionuris').trim()) errors.lti_redirectionuris = 'Required';
  }
  if (Object.keys(errors).length) {
    const messages = Object.entries(errors)
      .map(
        ([name, message]) =>
          `<div class="form-control-feedback invalid-feedback" id="id_error_${name}">${message}</div>`,
      )
      .join('\n');
    sendHtml(
      response,
      200,
      '<!DOCTYPE html><html><body><form action="" id="mform1_x">' +
        `<input name="_qf__mod_lti_edit_types_form" type="hidden" value="1">${messages}</form></body></html>`,
    );
    return;
  }
  const { tool, settings } = setup;
  tool.toolUrl = field('lti_toolurl');
  tool.loginInitUrl = field('lti_initiatelogin');
  tool.redirectUrls = field('lti_redirectionuris')
    .split(/\r?\n/)
    .filter((l) => l !== '');
  tool.customParameters = field('lti_customparameters');
  if (field('lti_keytype') === 'JWK_KEYSET') {
    tool.keysetUrl = field('lti_publickeyset');
    delete tool.publicKeyPem;
  }
  const container = Object.entries(LAUNCH_CONTAINERS).find(
    ([, c]) => String(c.moodleValue) === field('lti_launchcontainer'),
  );
  if (container) settings.launchContainer = container[0] as keyof typeof LAUNCH_CONTAINERS;
  settings.toolConfigurationUsage =
    settingOfCode(FORM_CODES.usage, field('lti_coursevisible')) ?? settings.toolConfigurationUsage;
  settings.deepLinking = field('lti_contentitem') === '1';
  settings.services.ags =
    settingOfCode(FORM_CODES.ags, field('ltiservice_gradesynchronization')) ?? settings.services.ags;
  settings.services.nrps = field('ltiservice_memberships') === '1';
  settings.services.toolSettings = field('ltiservice_toolsettings') === '1';
  settings.privacy.shareName = settingOfCode(FORM_CODES.privacy, field('lti_sendname')) ?? settings.privacy.shareName;
  settings.privacy.shareEmail =
    settingOfCode(FORM_CODES.privacy, field('lti_sendemailaddr')) ?? settings.privacy.shareEmail;
  settings.privacy.acceptGrades =
    settingOfCode(FORM_CODES.privacy, field('lti_acceptgrades')) ?? settings.privacy.acceptGrades;
  response.writeHead(303, { location: `${setup.wwwroot}/admin/settings.php?section=modsettinglti` }).end();
}

/** GET /mod/lti/typessettings.php?action=update&id=N&sesskey=…: the edit form with every stored value. */
export function handleToolSettings(
  setup: PlatformSetup,
  state: PlatformState,
  request: ParsedRequest,
  response: ServerResponse,
) {
  const session = sessionOf(request, state);
  if (!session || request.params.get('sesskey') !== session.sesskey || !isAdmin(setup, session)) {
    sendHtml(
      response,
      200,
      `<!DOCTYPE html><html><body><p class="errormessage">${escapeHtml(NO_PERMISSION)}</p></body></html>`,
    );
    return;
  }
  if (request.method === 'POST' && request.params.get('id') === setup.typeId) {
    saveToolSettings(setup, request, response);
    return;
  }
  if (request.params.get('action') === 'add') {
    // Moodle shows a blank form here; the embedded platform holds the one tool its flags register, and says so.
    sendHtml(
      response,
      404,
      `<!DOCTYPE html><html><body><p class="errormessage">${escapeHtml(ONE_TOOL)}</p></body></html>`,
    );
    return;
  }
  if (request.params.get('action') !== 'update' || request.params.get('id') !== setup.typeId) {
    sendHtml(response, 404, NO_RECORD_PAGE);
    return;
  }
  const { tool, settings } = setup;
  const fields = [
    `<input name="id" type="hidden" value="${setup.typeId}">`,
    `<input name="sesskey" type="hidden" value="${session.sesskey}">`,
    '<input name="_qf__mod_lti_edit_types_form" type="hidden" value="1">',
    text('lti_typename', 'Inspera Assessment'),
    text('lti_toolurl', tool.toolUrl),
    select(
      'lti_ltiversion',
      [
        ['LTI-1p0', 'Legacy LTI'],
        ['1.3.0', 'LTI 1.3'],
      ],
      '1.3.0',
    ),
    text('lti_clientid_disabled', setup.clientId),
    `<input name="lti_clientid" type="hidden" value="${escapeHtml(setup.clientId)}">`,
    select(
      'lti_keytype',
      [
        ['RSA_KEY', 'RSA key'],
        ['JWK_KEYSET', 'Keyset URL'],
      ],
      tool.keysetUrl !== undefined ? 'JWK_KEYSET' : 'RSA_KEY',
    ),
    textarea('lti_publickey', tool.publicKeyPem ?? ''),
    text('lti_publickeyset', tool.keysetUrl ?? ''),
    text('lti_initiatelogin', tool.loginInitUrl),
    textarea('lti_redirectionuris', tool.redirectUrls.join('\n')),
    textarea('lti_customparameters', tool.customParameters),
    // edit_form.php builds no "Tool configuration usage" for a course tool.
    tool.courseTool
      ? ''
      : select(
          'lti_coursevisible',
          [
            [0, 'Do not show'],
            [1, 'Show as preconfigured tool'],
            [2, 'Show in activity chooser'],
          ],
          USAGE_VALUE[settings.toolConfigurationUsage],
        ),
    select(
      'lti_launchcontainer',
      Object.values(LAUNCH_CONTAINERS).map((c) => [c.moodleValue, c.label] as [number, string]),
      LAUNCH_CONTAINERS[settings.launchContainer].moodleValue,
    ),
    '<input name="lti_contentitem" type="hidden" value="0">',
    '<input type="checkbox" name="lti_contentitem" id="id_lti_contentitem" value="1"' +
      `${settings.deepLinking ? ' checked' : ''}>`,
    text('lti_toolurl_ContentItemSelectionRequest', ''),
    select(
      'ltiservice_gradesynchronization',
      [
        [0, 'Do not use'],
        [1, 'Grade sync only'],
        [2, 'Grade sync and column management'],
      ],
      AGS_VALUE[settings.services.ags],
    ),
    select(
      'ltiservice_memberships',
      [
        [0, 'Do not use'],
        [1, 'Use'],
      ],
      settings.services.nrps ? 1 : 0,
    ),
    select(
      'ltiservice_toolsettings',
      [
        [0, 'Do not use'],
        [1, 'Use'],
      ],
      settings.services.toolSettings ? 1 : 0,
    ),
    select(
      'lti_sendname',
      [
        [0, 'Never'],
        [1, 'Always'],
        [2, 'Delegate to teacher'],
      ],
      PRIVACY_VALUE[settings.privacy.shareName],
    ),
    select(
      'lti_sendemailaddr',
      [
        [0, 'Never'],
        [1, 'Always'],
        [2, 'Delegate to teacher'],
      ],
      PRIVACY_VALUE[settings.privacy.shareEmail],
    ),
    select(
      'lti_acceptgrades',
      [
        [0, 'Never'],
        [1, 'Always'],
        [2, 'Delegate to teacher'],
      ],
      PRIVACY_VALUE[settings.privacy.acceptGrades],
    ),
  ];
  sendHtml(
    response,
    200,
    `<!DOCTYPE html><html><head><script>M.cfg = {"sesskey":"${session.sesskey}"};</script></head><body>` +
      `<form autocomplete="off" action="${setup.wwwroot}/mod/lti/typessettings.php?id=${setup.typeId}" method="post" ` +
      'accept-charset="utf-8" ' +
      `id="mform1_x" class="mform">\n${fields.join('\n')}\n</form></body></html>`,
  );
}

/** GET /course/modedit.php?update=CMID: the activity's settings form (mod/lti/mod_form.php), for an admin. */
export function handleActivitySettings(
  setup: PlatformSetup,
  state: PlatformState,
  request: ParsedRequest,
  response: ServerResponse,
) {
  const session = sessionOf(request, state);
  const { activity } = setup.world;
  if (!isAdmin(setup, session)) {
    sendHtml(
      response,
      200,
      `<!DOCTYPE html><html><body><p class="errormessage">${escapeHtml(NO_PERMISSION)}</p></body></html>`,
    );
    return;
  }
  if (request.params.get('update') !== String(activity.cmid)) {
    sendHtml(response, 404, NO_RECORD_PAGE);
    return;
  }
  const fields = [
    '<input name="_qf__mod_lti_mod_form" type="hidden" value="1">',
    text('name', activity.name),
    `<input name="typeid" type="hidden" value="${setup.typeId}">`,
    select(
      'launchcontainer',
      [[1, 'Default'], ...Object.values(LAUNCH_CONTAINERS).map((c) => [c.moodleValue, c.label] as [number, string])],
      1,
    ),
    textarea('instructorcustomparameters', activity.customParameters),
    // Since 4.3 the form holds no share name/e-mail choices (mod_form.php); only Accept grades.
    '<input name="instructorchoiceacceptgrades" type="hidden" value="0">',
    '<input type="checkbox" name="instructorchoiceacceptgrades" id="id_instructorchoiceacceptgrades" value="1"' +
      `${activity.acceptGradesTicked ? ' checked' : ''}>`,
  ];
  sendHtml(
    response,
    200,
    `<!DOCTYPE html><html><body><form action="${setup.wwwroot}/course/modedit.php" method="post" id="mform1_y">` +
      `\n${fields.join('\n')}\n</form></body></html>`,
  );
}

/**
 * /login/logout.php as Moodle answers it: with the session's sesskey the session ends and the browser goes to the
 * front page; without it, a page asking to confirm whose Continue button carries the sesskey.
 */
export function handleLogout(
  setup: PlatformSetup,
  state: PlatformState,
  request: ParsedRequest,
  response: ServerResponse,
) {
  const session = sessionOf(request, state);
  if (session && request.params.get('sesskey') === session.sesskey) {
    state.sessions.delete(session.id);
    response.writeHead(303, { location: `${setup.wwwroot}/` }).end();
    return;
  }
  const confirm = session
    ? `<form method="post" action="${escapeHtml(`${setup.wwwroot}/login/logout.php`)}">` +
      `<input type="hidden" name="sesskey" value="${session.sesskey}"><button type="submit">Continue</button></form>`
    : '';
  sendHtml(response, 200, `<!DOCTYPE html><html><body><p>Do you really want to log out?</p>${confirm}</body></html>`);
}

/** GET /course/edit.php?id=N: the course settings form an administrator opens, with its short name. */
export function handleCourseSettings(
  setup: PlatformSetup,
  state: PlatformState,
  request: ParsedRequest,
  response: ServerResponse,
) {
  const session = sessionOf(request, state);
  const { course } = setup.world;
  if (!isAdmin(setup, session) || request.params.get('id') !== String(course.id)) {
    sendHtml(response, 404, NO_RECORD_PAGE);
    return;
  }
  sendHtml(
    response,
    200,
    `<!DOCTYPE html><html><body><form action="${setup.wwwroot}/course/edit.php" method="post" id="mform1_c">` +
      `<input name="id" type="hidden" value="${course.id}"><input name="_qf__course_edit_form" type="hidden" ` +
      `value="1">${text('fullname', course.fullname)}` +
      `${text('shortname', course.shortname)}</form></body></html>`,
  );
}
