import type { CauseId } from '../../core/causes.js';
import type { CheckResult } from '../../core/result.js';
import type { ToolUrls } from '../../inspera/urls.js';
import { normaliseKey, parametersToMoodleText, splitMoodleParameters } from '../custom-parameters.js';
import { mergedCustomParameters, mergedRedirectUris } from './keep-extras.js';
import { adviseOnSettings } from '../settings-advice.js';
import { TOOL_CONFIGURATION_USAGE, insperaRecommendedSettings, type MoodleSettings } from '../settings.js';
import type { ToolDetails } from '../tool-details.js';
import { MANAGE_TOOLS_EDIT, toolPlace, type ListedTool } from './stored-tools.js';
import { shownValue, type StoredTool } from './tool-form.js';

/** What the tool should hold for this tenant: what `init` prints, and the values recorded from Moodle's dialog. */
export interface ToolPrescription {
  urls: ToolUrls;
  customParameters: Record<string, string>;
  settings: MoodleSettings;
  recorded: Partial<ToolDetails>;
}

const WHERE = MANAGE_TOOLS_EDIT;

/** The Custom parameters text as Moodle reads it (custom-parameters.ts): normalised name → value. */
export function moodleCustomParameters(text: string): Record<string, string> {
  return Object.fromEntries(splitMoodleParameters(text).map(([name, value]) => [normaliseKey(name), value]));
}

function field(
  id: string,
  label: string,
  found: string,
  wanted: string,
  cause: CauseId,
  section = 'Tool settings',
): CheckResult {
  const same = found === wanted;
  return {
    id: `moodle.${id}`,
    title: label,
    status: same ? 'pass' : 'fail',
    finding: same
      ? `${JSON.stringify(found)} as prescribed`
      : `Moodle holds ${JSON.stringify(found)}; this tenant needs ${JSON.stringify(wanted)}`,
    ...(same
      ? {}
      : {
          cause: { id: cause },
          fix: {
            system: 'Moodle' as const,
            where: `${WHERE} > ${section}`,
            field: label,
            value: wanted,
            action: 'enter exactly',
          },
        }),
  };
}

/** The stored tool's Moodle settings in our terms, for the advice init gives (unset values as Moodle's defaults). */
function settingsOf(stored: StoredTool): MoodleSettings {
  const base = insperaRecommendedSettings();
  return {
    services: { ags: stored.ags ?? 'off', nrps: stored.nrps, toolSettings: stored.toolSettings },
    privacy: {
      shareName: stored.shareName ?? base.privacy.shareName,
      shareEmail: stored.shareEmail ?? base.privacy.shareEmail,
      acceptGrades: stored.acceptGrades ?? base.privacy.acceptGrades,
    },
    launchContainer: stored.launchContainer ?? 'embed-no-blocks',
    toolConfigurationUsage: stored.usage ?? base.toolConfigurationUsage,
    deepLinking: stored.deepLinking,
  };
}

/**
 * The stored tool field by field against what init prescribes for this tenant — each URL byte for byte, the custom
 * parameters as Moodle parses them, services, privacy, launch container, Deep Linking, the tool's state — and its
 * Client ID and Deployment ID against the ones recorded. Every result names Moodle's screen and field.
 */
export function auditStoredTool(
  stored: StoredTool,
  listed: ListedTool | undefined,
  want: ToolPrescription,
): CheckResult[] {
  const results: CheckResult[] = [
    field('tool-url', 'Tool URL', stored.toolUrl, want.urls.toolUrl, 'tool-setting'),
    // Moodle's option labels, as its form shows them ("LTI 1.0/1.1", "RSA key"), never the codes it posts.
    field('lti-version', 'LTI version', shownValue('lti_ltiversion', stored.ltiVersion), 'LTI 1.3', 'tool-setting'),
    // A wrong key type is a setting of its own, not a keyset Moodle cannot download: with "RSA key" and no key
    // token.php answers every assertion "No public key configured".
    field('key-type', 'Public key type', shownValue('lti_keytype', stored.keyType), 'Keyset URL', 'tool-setting'),
    field('keyset', 'Public keyset', stored.keysetUrl, want.urls.keysetUrl, 'tool-keyset'),
    field('login', 'Initiate login URL', stored.loginInitUrl, want.urls.loginInitUrl, 'tool-setting'),
  ];
  const storedUris = stored.redirectUris.split(/\r?\n/).filter((l) => l !== '');
  const missing = want.urls.redirectUrls.filter((uri) => !storedUris.includes(uri));
  results.push({
    id: 'moodle.redirect-uris',
    title: 'Redirection URI(s)',
    status: missing.length ? 'fail' : 'pass',
    finding: missing.length
      ? `Moodle holds ${JSON.stringify(storedUris)}, without ${missing.map((m) => JSON.stringify(m)).join(', ')} ` +
        'byte for byte: auth.php answers "Invalid request" to the tool'
      : `${storedUris.length} line${storedUris.length === 1 ? '' : 's'}, ` +
        "the tenant's launch URL among them byte for byte",
    ...(missing.length
      ? {
          cause: { id: 'redirect-uri' as const },
          fix: {
            system: 'Moodle' as const,
            where: `${WHERE} > Tool settings`,
            field: 'Redirection URI(s)',
            // The lines an administrator added stay: following the fix must not break another launch they serve.
            value: mergedRedirectUris(stored.redirectUris, want.urls.redirectUrls.join('\n')).text,
            action:
              storedUris.length > 0
                ? `make ${missing.map((m) => JSON.stringify(m)).join(', ')} a line of its own byte for byte, ` +
                  'keeping the other lines'
                : 'enter exactly, one per line',
          },
        }
      : {}),
  });
  const custom = moodleCustomParameters(stored.customParameters);
  const wrongCustom = Object.entries(want.customParameters).filter(([name, value]) => custom[name] !== value);
  results.push({
    id: 'moodle.custom-parameters',
    title: 'Custom parameters',
    status: wrongCustom.length ? 'fail' : 'pass',
    finding: wrongCustom.length
      ? `as Moodle reads them, ${wrongCustom.map(([n, v]) => `${n}=${v}`).join(', ')} ` +
        `${wrongCustom.length > 1 ? 'are' : 'is'} missing or different`
      : `${
          Object.keys(want.customParameters)
            .map((n) => `${n}=${custom[n]}`)
            .join(', ') || 'none prescribed'
        }`,
    ...(wrongCustom.length
      ? {
          cause: { id: 'tool-setting' as const },
          fix: {
            system: 'Moodle' as const,
            where: `${WHERE} > Tool settings`,
            field: 'Custom parameters',
            // Parameters of the administrator's own (exam_code=ABC) stay, after the prescribed lines.
            value: mergedCustomParameters(stored.customParameters, parametersToMoodleText(want.customParameters)).text,
            action: 'enter these lines (the ones of your own kept)',
          },
        }
      : {}),
  });
  if (stored.usage === 'hidden')
    results.push({
      id: 'moodle.usage',
      title: 'Tool configuration usage',
      status: 'warn',
      finding:
        'the tool is not offered when a teacher adds an activity: only an activity whose tool URL matches it ' +
        'launches through it',
      cause: { id: 'tool-setting' },
      fix: {
        system: 'Moodle',
        where: `${WHERE} > Tool settings`,
        field: 'Tool configuration usage',
        value: TOOL_CONFIGURATION_USAGE[want.settings.toolConfigurationUsage],
        action: 'choose this option',
      },
    });
  results.push(
    field(
      'deep-linking',
      'Supports Deep Linking (Content-Item Message)',
      stored.deepLinking ? 'checked' : 'unchecked',
      'unchecked',
      'tool-setting',
    ),
    field('content-selection', 'Content Selection URL', stored.contentSelectionUrl, '', 'tool-setting'),
  );
  // Services, privacy and the launch container: the advice init gives, on the values Moodle holds.
  const advice = adviseOnSettings({ moodle: settingsOf(stored), tool: { customParameters: custom } });
  results.push(...advice.map((a) => ({ ...a, id: a.id.replace(/^moodle\./, 'moodle.stored-') })));
  if (!advice.some((a) => a.status === 'fail'))
    results.push({
      id: 'moodle.services-privacy',
      title: 'Services, privacy and launch container',
      status: 'pass',
      finding: 'as Inspera needs them',
    });
  if (listed) {
    const state = listed.state.configured
      ? 'active'
      : listed.state.pending
        ? 'pending'
        : listed.state.rejected
          ? 'rejected'
          : listed.state.text;
    results.push({
      id: 'moodle.state',
      title: 'Tool state',
      status: state === 'active' ? 'pass' : 'fail',
      finding: state === 'active' ? 'active' : `the tool is ${state}: Moodle does not launch it`,
      ...(state === 'active'
        ? {}
        : {
            cause: { id: 'tool-setting' as const },
            fix: { system: 'Moodle' as const, where: 'Manage tools', action: 'activate the tool (its card: Activate)' },
          }),
    });
  }
  const registered = (id: string, label: string, held: string, recorded: string): CheckResult => {
    const same = held === recorded;
    return {
      id: `moodle.${id}`,
      title: label,
      status: same ? 'pass' : 'fail',
      finding: same
        ? `${JSON.stringify(held)}, as recorded`
        : `Moodle holds ${JSON.stringify(held)} for this tool, but ${JSON.stringify(recorded)} was recorded (and ` +
          'sent to Inspera): Inspera is registered with another tool',
      ...(same
        ? {}
        : {
            cause: { id: id as 'client-id' | 'deployment-id' },
            fix: {
              system: 'Inspera' as const,
              field: label,
              value: held,
              action:
                'register the value Moodle holds with Inspera (record it again: inspera-lti record --from-moodle, ' +
                'then inspera-lti export)',
            },
          }),
    };
  };
  if (want.recorded.clientId !== undefined)
    results.push(registered('client-id', 'Client ID', stored.clientId, want.recorded.clientId.trim()));
  if (want.recorded.deploymentId !== undefined && listed)
    results.push(
      registered('deployment-id', 'Deployment ID', String(listed.deploymentid), want.recorded.deploymentId.trim()),
    );
  return stored.course ? results.map((r) => atCoursePlace(r, toolPlace(stored))) : results;
}

/** A course tool's fix is made where teachers manage it, the course's LTI External tools, not Manage tools. */
function atCoursePlace(result: CheckResult, place: string): CheckResult {
  const where = result.fix?.where;
  if (!where) return result;
  const site = [MANAGE_TOOLS_EDIT, MANAGE_TOOLS_EDIT.replace(/^Moodle: /, '')].find((p) => where.startsWith(p));
  return site ? { ...result, fix: { ...result.fix!, where: place + where.slice(site.length) } } : result;
}
