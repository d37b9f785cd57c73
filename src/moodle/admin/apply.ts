import { InsperaLtiError } from '../../errors.js';
import type { ToolUrls } from '../../inspera/urls.js';
import { encodeForm } from '../../util/form.js';
import { unescapeHtml } from '../../util/html.js';
import { parametersToMoodleText } from '../custom-parameters.js';
import { FORM_CODES, LAUNCH_CONTAINERS, type MoodleSettings } from '../settings.js';
import type { MoodleSession } from './session.js';
import { formValues } from './tool-form.js';

/** What init --apply writes: the tool as init prescribes it for this tenant. */
export interface ToolToApply {
  name: string;
  urls: ToolUrls;
  customParameters: Record<string, string>;
  settings: MoodleSettings;
}

/** The edit form's fields init sets, with Moodle's labels, in the form's order (mod/lti/edit_form.php). */
export const APPLIED_FIELDS: ReadonlyArray<[field: string, label: string]> = [
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

/** The edit form as Moodle shows it: a tool's (update), or a blank one (add), with every field it holds. */
export async function editForm(
  session: MoodleSession,
  id: number | undefined,
): Promise<{ values: Record<string, string>; action: string }> {
  const key = await session.sesskey();
  const page = await session.page(
    id === undefined
      ? `/mod/lti/typessettings.php?action=add&sesskey=${key}`
      : `/mod/lti/typessettings.php?action=update&id=${id}&sesskey=${key}`,
  );
  if (!page.body.includes('_qf__mod_lti_edit_types_form'))
    throw new InsperaLtiError(
      'MOODLE_NOT_ALLOWED',
      `${page.url} (HTTP ${page.status}) shows no tool settings form`,
      'use an administrator account (moodle/site:config)',
    );
  // The form posts back to its page (typessettings.php?id=N for an update): where Moodle knows which tool it is.
  const marker = page.body.indexOf('_qf__mod_lti_edit_types_form');
  const open = page.body.slice(page.body.lastIndexOf('<form', marker));
  const action = unescapeHtml(/\baction="([^"]*)"/.exec(open)?.[1] ?? '/mod/lti/typessettings.php');
  return { values: formValues(page.body), action: new URL(action, page.url).toString() };
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
