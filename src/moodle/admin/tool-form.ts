import { unescapeHtml } from '../../util/html.js';
import {
  ACCEPT_GRADES_OPTIONS,
  AGS_LEVELS,
  FORM_CODES,
  LAUNCH_CONTAINERS,
  NRPS_OPTIONS,
  PRIVACY_OPTIONS,
  settingOfCode,
  TOOL_CONFIGURATION_USAGE,
  TOOL_SETTINGS_OPTIONS,
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
  /** A course tool (Moodle 4.3+): its course, by id and (when it could be read) short name. */
  course?: { id: number; shortname?: string };
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

/**
 * A stored value as Moodle's edit form shows it: a select's option label ("New window", "Always", "Keyset URL"), not
 * the code it posts ("4", "1", "JWK_KEYSET"); text fields as they stand.
 */
export function shownValue(field: string, value: string): string {
  const labelOf = <T extends string>(table: Readonly<Record<T, string>>, labels: Readonly<Record<T, string>>) => {
    const name = settingOfCode(table, value);
    return name === undefined ? value : labels[name];
  };
  const container = Object.values(LAUNCH_CONTAINERS).find((c) => String(c.moodleValue) === value);
  switch (field) {
    case 'lti_launchcontainer':
      return value === '1' ? 'Default' : (container?.label ?? value);
    case 'lti_sendname':
    case 'lti_sendemailaddr':
      return labelOf(FORM_CODES.privacy, PRIVACY_OPTIONS);
    case 'lti_acceptgrades':
      return labelOf(FORM_CODES.privacy, ACCEPT_GRADES_OPTIONS);
    case 'ltiservice_gradesynchronization':
      return labelOf(FORM_CODES.ags, AGS_LEVELS);
    case 'lti_coursevisible':
      return labelOf(FORM_CODES.usage, TOOL_CONFIGURATION_USAGE);
    case 'ltiservice_memberships':
      return value === '1' ? NRPS_OPTIONS.on : value === '0' ? NRPS_OPTIONS.off : value;
    case 'ltiservice_toolsettings':
      return value === '1' ? TOOL_SETTINGS_OPTIONS.on : value === '0' ? TOOL_SETTINGS_OPTIONS.off : value;
    case 'lti_contentitem':
      return value === '1' ? 'ticked' : value === '0' || value === '' ? 'not ticked' : value;
    case 'lti_keytype':
      return value === 'JWK_KEYSET' ? 'Keyset URL' : value === 'RSA_KEY' ? 'RSA key' : value;
    case 'lti_ltiversion':
      return value === '1.3.0' ? 'LTI 1.3' : value === 'LTI-1p0' ? 'LTI 1.0/1.1' : value;
    default:
      return value;
  }
}
