import { unescapeHtml } from '../../util/html.js';
import {
  FORM_CODES,
  LAUNCH_CONTAINERS,
  settingOfCode,
  type AgsLevel,
  type LaunchContainer,
  type PrivacyChoice,
  type ToolConfigurationUsage,
} from '../settings.js';

/**
 * The values of a Moodle form as a browser would submit them (core form templates): text and hidden inputs, the
 * checked checkboxes (an advcheckbox's hidden 0 replaced by its checked 1), each textarea's text, each select's
 * selected option (else its first). Values are unescaped.
 */
export function formValues(html: string, marker = '_qf__mod_lti_edit_types_form'): Record<string, string> {
  // The form whose hidden _qf__ field names it (Moodle pages hold other forms too).
  const at = html.indexOf(marker);
  const start = Math.max(0, html.lastIndexOf('<form', Math.max(at, 0)));
  const end = html.indexOf('</form>', start);
  const form = html.slice(start, end < 0 ? undefined : end);
  const values: Record<string, string> = {};
  const attribute = (attrs: string, name: string) => new RegExp(`\\b${name}\\s*=\\s*"([^"]*)"`, 'i').exec(attrs)?.[1];
  for (const input of form.matchAll(/<input\b([^>]*)>/gi)) {
    const attrs = input[1]!;
    const name = attribute(attrs, 'name');
    if (name === undefined) continue;
    const type = (attribute(attrs, 'type') ?? 'text').toLowerCase();
    const value = unescapeHtml(attribute(attrs, 'value') ?? '');
    if (type === 'checkbox' || type === 'radio') {
      if (/\bchecked\b/i.test(attrs)) values[unescapeHtml(name)] = value || 'on';
    } else if (type !== 'submit' && type !== 'button') values[unescapeHtml(name)] = value;
  }
  for (const area of form.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/gi)) {
    const name = attribute(area[1]!, 'name');
    if (name !== undefined) values[unescapeHtml(name)] = unescapeHtml(area[2]!.replace(/^\r?\n/, ''));
  }
  for (const select of form.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/gi)) {
    const name = attribute(select[1]!, 'name');
    if (name === undefined) continue;
    const options = [...select[2]!.matchAll(/<option\b([^>]*)>/gi)].map((o) => o[1]!);
    const chosen = options.find((o) => /\bselected\b/i.test(o)) ?? options[0];
    if (chosen !== undefined) values[unescapeHtml(name)] = unescapeHtml(attribute(chosen, 'value') ?? '');
  }
  return values;
}

/** The Inspera-relevant settings of one LTI tool type, as its edit form holds them (mod/lti/edit_form.php). */
export interface StoredTool {
  id: number;
  name: string;
  toolUrl: string;
  /** "1.3.0" or "LTI-1p0". */
  ltiVersion: string;
  clientId: string;
  /** "JWK_KEYSET" (Keyset URL) or "RSA_KEY". */
  keyType: string;
  keysetUrl: string;
  loginInitUrl: string;
  /** As stored: one per line, byte for byte. */
  redirectUris: string;
  customParameters: string;
  usage?: ToolConfigurationUsage;
  launchContainer?: LaunchContainer;
  deepLinking: boolean;
  contentSelectionUrl: string;
  ags?: AgsLevel;
  nrps: boolean;
  toolSettings: boolean;
  shareName?: PrivacyChoice;
  shareEmail?: PrivacyChoice;
  acceptGrades?: PrivacyChoice;
}

/** The stored tool from its edit form's values. */
export function storedToolFrom(id: number, values: Record<string, string>): StoredTool {
  const container = Object.entries(LAUNCH_CONTAINERS).find(
    ([, c]) => String(c.moodleValue) === values.lti_launchcontainer,
  )?.[0] as LaunchContainer | undefined;
  const choice = (value: string | undefined) => settingOfCode(FORM_CODES.privacy, value);
  const usage = settingOfCode(FORM_CODES.usage, values.lti_coursevisible);
  const ags = settingOfCode(FORM_CODES.ags, values.ltiservice_gradesynchronization);
  const shareName = choice(values.lti_sendname);
  const shareEmail = choice(values.lti_sendemailaddr);
  const acceptGrades = choice(values.lti_acceptgrades);
  return {
    id,
    name: values.lti_typename ?? '',
    toolUrl: values.lti_toolurl ?? '',
    ltiVersion: values.lti_ltiversion ?? '',
    clientId: values.lti_clientid ?? values.lti_clientid_disabled ?? '',
    keyType: values.lti_keytype ?? '',
    keysetUrl: values.lti_publickeyset ?? '',
    loginInitUrl: values.lti_initiatelogin ?? '',
    redirectUris: values.lti_redirectionuris ?? '',
    customParameters: values.lti_customparameters ?? '',
    ...(usage ? { usage } : {}),
    ...(container ? { launchContainer: container } : {}),
    deepLinking: values.lti_contentitem === '1',
    contentSelectionUrl: values.lti_toolurl_ContentItemSelectionRequest ?? '',
    ...(ags ? { ags } : {}),
    nrps: values.ltiservice_memberships === '1',
    toolSettings: values.ltiservice_toolsettings === '1',
    ...(shareName ? { shareName } : {}),
    ...(shareEmail ? { shareEmail } : {}),
    ...(acceptGrades ? { acceptGrades } : {}),
  };
}
