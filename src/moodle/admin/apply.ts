import { InsperaLtiError } from '../../errors.js';
import type { ToolUrls } from '../../inspera/urls.js';
import { encodeForm } from '../../util/form.js';
import { moodleErrorMessage, unescapeHtml } from '../../util/html.js';
import { parametersToMoodleText } from '../custom-parameters.js';
import { FORM_CODES, LAUNCH_CONTAINERS, type MoodleSettings } from '../settings.js';
import type { MoodleSession } from './session.js';
import { formValues } from './tool-form.js';
import { mergedCustomParameters, mergedRedirectUris, type KeptValue } from './keep-extras.js';

export type { KeptValue } from './keep-extras.js';

/** What init --apply writes: the tool as init prescribes it for this tenant. */
export interface ToolToApply {
  name: string;
  urls: ToolUrls;
  customParameters: Record<string, string>;
  settings: MoodleSettings;
}

/** The edit form's fields init sets, with Moodle's labels, in the form's order (mod/lti/edit_form.php). */
const APPLIED_FIELDS: ReadonlyArray<[field: string, label: string]> = [
  ['lti_toolurl', 'Tool URL'],
  ['lti_ltiversion', 'LTI version'],
  ['lti_keytype', 'Public key type'],
  ['lti_publickeyset', 'Public keyset'],
  ['lti_initiatelogin', 'Initiate login URL'],
  ['lti_redirectionuris', 'Redirection URI(s)'],
  ['lti_customparameters', 'Custom parameters'],
  ['lti_coursevisible', 'Tool configuration usage'],
  ['lti_launchcontainer', 'Default launch container'],
  ['lti_contentitem', 'Supports Deep Linking (Content-Item Message)'],
  ['lti_toolurl_ContentItemSelectionRequest', 'Content Selection URL'],
  ['ltiservice_gradesynchronization', 'IMS LTI Assignment and Grade Services'],
  ['ltiservice_memberships', 'IMS LTI Names and Role Provisioning'],
  ['ltiservice_toolsettings', 'Tool Settings'],
  ['lti_sendname', "Share launcher's name with tool"],
  ['lti_sendemailaddr', "Share launcher's email with tool"],
  ['lti_acceptgrades', 'Accept grades from the tool'],
];

const { privacy: PRIVACY, ags: AGS, usage: USAGE } = FORM_CODES;

/** The form values init prescribes, as the edit form posts them. */
export function prescribedValues(tool: ToolToApply): Record<string, string> {
  const { settings } = tool;
  return {
    lti_toolurl: tool.urls.toolUrl,
    lti_ltiversion: '1.3.0',
    lti_keytype: 'JWK_KEYSET',
    lti_publickeyset: tool.urls.keysetUrl,
    lti_initiatelogin: tool.urls.loginInitUrl,
    lti_redirectionuris: tool.urls.redirectUrls.join('\n'),
    lti_customparameters: parametersToMoodleText(tool.customParameters),
    lti_coursevisible: USAGE[settings.toolConfigurationUsage],
    lti_launchcontainer: String(LAUNCH_CONTAINERS[settings.launchContainer].moodleValue),
    lti_contentitem: settings.deepLinking ? '1' : '0',
    lti_toolurl_ContentItemSelectionRequest: '',
    ltiservice_gradesynchronization: AGS[settings.services.ags],
    ltiservice_memberships: settings.services.nrps ? '1' : '0',
    ltiservice_toolsettings: settings.services.toolSettings ? '1' : '0',
    lti_sendname: PRIVACY[settings.privacy.shareName],
    lti_sendemailaddr: PRIVACY[settings.privacy.shareEmail],
    lti_acceptgrades: PRIVACY[settings.privacy.acceptGrades],
  };
}

export interface FieldChange {
  field: string;
  label: string;
  from: string;
  to: string;
}

/** The fields whose stored value differs from the prescribed one (line ends in textareas compared as Moodle keeps). */
export function differences(current: Record<string, string>, wanted: Record<string, string>): FieldChange[] {
  const normal = (value: string | undefined) => (value ?? '').replace(/\r\n/g, '\n');
  return APPLIED_FIELDS.filter(([field]) => normal(current[field]) !== normal(wanted[field])).map(([field, label]) => ({
    field,
    label,
    from: normal(current[field]),
    to: normal(wanted[field]),
  }));
}

/** The page of a tool's edit form (update), or of the blank one (add). */
function toolFormPath(sesskey: string, id: number | undefined): string {
  return id === undefined
    ? `/mod/lti/typessettings.php?action=add&sesskey=${sesskey}`
    : `/mod/lti/typessettings.php?action=update&id=${id}&sesskey=${sesskey}`;
}

const FORM_MARKER = '_qf__mod_lti_edit_types_form';
/** Moodle's "nopermissions" string, as require_capability() shows it. */
const NO_PERMISSION = /you do not currently have permissions to do that/i;

/** What a page that holds no tool form says: Moodle's error message, if it shows one. */
function pageSays(body: string): string {
  return moodleErrorMessage(body, 400) ?? '';
}

/** A page address as said to a person: without the session's sesskey. */
function withoutSesskey(url: string): string {
  const named = new URL(url);
  named.searchParams.delete('sesskey');
  return named.toString();
}

/**
 * Why a page shows no tool settings form, in the page's own words: Moodle's permission refusal is an account without
 * moodle/site:config; anything else (a 404 of a site that has no such page, an error Moodle names) is said as it is.
 */
function noToolForm(page: { url: string; status: number; body: string }, adding: boolean): InsperaLtiError {
  const said = pageSays(page.body);
  const where = `${withoutSesskey(page.url)} (HTTP ${page.status})`;
  if (NO_PERMISSION.test(page.body))
    return new InsperaLtiError(
      'MOODLE_NOT_ALLOWED',
      `${where}: Moodle refused the account the tool settings form${said ? ` ("${said}")` : ''}`,
      'use an administrator account (moodle/site:config)',
    );
  return new InsperaLtiError(
    'MOODLE_NO_TOOL_FORM',
    `${where} shows no ${adding ? 'form to add a tool' : 'tool settings form'}` +
      (said ? `; the page says "${said}"` : ' (the page holds no Moodle form)'),
    adding
      ? `${said ? 'do what the page says, or ' : ''}add the tool where this site allows it (in Moodle: Manage ` +
          'tools > configure a tool manually, with the values inspera-lti init prints)'
      : 'open Manage tools in a browser to see what this site shows for the tool',
  );
}

/** The edit form as Moodle shows it: a tool's (update), or a blank one (add), with every field it holds. */
export async function editForm(
  session: MoodleSession,
  id: number | undefined,
): Promise<{ values: Record<string, string>; action: string }> {
  const page = await session.page(toolFormPath(await session.sesskey(), id));
  if (!page.body.includes(FORM_MARKER)) throw noToolForm(page, id === undefined);
  // The form posts back to its page (typessettings.php?id=N for an update): where Moodle knows which tool it is.
  const marker = page.body.indexOf(FORM_MARKER);
  const open = page.body.slice(page.body.lastIndexOf('<form', marker));
  const action = unescapeHtml(/\baction="([^"]*)"/.exec(open)?.[1] ?? '/mod/lti/typessettings.php');
  return { values: formValues(page.body), action: new URL(action, page.url).toString() };
}

/**
 * Whether this site gives the form to add a tool (a GET: nothing is submitted), and if not, what its page says — so
 * that advice to add one through it (by hand or init --apply) is given only where it can work.
 */
export async function addFormAnswer(session: MoodleSession): Promise<{ available: boolean; why?: string }> {
  const page = await session.page(toolFormPath(await session.sesskey(), undefined));
  if (page.body.includes(FORM_MARKER)) return { available: true };
  const said = pageSays(page.body);
  return {
    available: false,
    why: `${withoutSesskey(page.url)} answers HTTP ${page.status}${said ? `: "${said}"` : ' with no form'}`,
  };
}

/** Moodle's messages on a form it refused (each field's invalid-feedback, and any notification). */
function formErrors(html: string): string[] {
  const errors = [...html.matchAll(/id="id_error_([a-z_A-Z]+)"[^>]*>([^<]+)</g)]
    .map((m) => `${m[1]}: ${unescapeHtml(m[2]!.trim())}`)
    .filter((m) => !m.endsWith(': '));
  const notices = [...html.matchAll(/class="[^"]*alert-danger[^"]*"[^>]*>([^<]+)</g)].map((m) =>
    unescapeHtml(m[1]!.trim()),
  );
  return [...errors, ...notices].filter(Boolean);
}

/**
 * Submit the edit form as a person does (every field it holds, with the prescribed ones changed). Moodle answers a
 * saved form with a redirect to Manage tools, a refused one with the form again and its messages.
 */
export async function submitTool(session: MoodleSession, action: string, form: Record<string, string>): Promise<void> {
  const page = await session.post(action, encodeForm({ ...form, submitbutton: 'Save changes' }));
  if (page.body.includes('_qf__mod_lti_edit_types_form') || /typessettings\.php/.test(new URL(page.url).pathname)) {
    const errors = formErrors(page.body);
    throw new InsperaLtiError(
      'MOODLE_NOT_ALLOWED',
      `Moodle refused to save the tool${errors.length ? `: ${errors.join('; ')}` : ' (its form came back)'}`,
      'nothing was recorded; fix what Moodle names (or set the tool up by hand with the values init prints)',
    );
  }
}

/**
 * What init prescribes, merged into what the tool holds: Redirection URI lines and custom parameters an
 * administrator added are kept (the prescribed ones added or set), as doctor --moodle accepts them — a second
 * Redirection URI, an exam_code=ABC line. A line that is a mistyped copy of a prescribed one is replaced.
 */
export function keepExtras(
  current: Record<string, string>,
  wanted: Record<string, string>,
): { wanted: Record<string, string>; kept: KeptValue[] } {
  const uris = mergedRedirectUris(current.lti_redirectionuris ?? '', wanted.lti_redirectionuris ?? '');
  const custom = mergedCustomParameters(current.lti_customparameters ?? '', wanted.lti_customparameters ?? '');
  return {
    wanted: {
      ...wanted,
      ...(uris.kept.length ? { lti_redirectionuris: uris.text } : {}),
      ...(custom.kept.length ? { lti_customparameters: custom.text } : {}),
    },
    kept: [
      ...uris.kept.map((value) => ({ label: 'Redirection URI(s)', value })),
      ...custom.kept.map((value) => ({ label: 'Custom parameters', value })),
    ],
  };
}

/** Inputs a browser never submits: Moodle disables them without condition (edit_form.php, disabledIf(…, null)). */
const NEVER_SUBMITTED = ['lti_clientid_disabled'];

/**
 * The prescribed values this form holds: a course tool's form (Moodle 4.3+) has no "Tool configuration usage", and
 * a value for a field a form does not hold is neither a difference nor posted.
 */
export function heldByForm(form: Record<string, string>, wanted: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(wanted).filter(([name]) => Object.hasOwn(form, name)));
}

/** What a browser posts for the form: its own fields, the prescribed values in them, no input it would not send. */
export function formSubmission(form: Record<string, string>, wanted: Record<string, string>): Record<string, string> {
  const posted = { ...form, ...heldByForm(form, wanted) };
  for (const name of NEVER_SUBMITTED) delete posted[name];
  return posted;
}
