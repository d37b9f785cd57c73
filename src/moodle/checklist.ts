import type { ToolUrls } from '../inspera/urls.js';
import { parametersToMoodleText } from './custom-parameters.js';
import {
  ACCEPT_GRADES_OPTIONS,
  AGS_LEVELS,
  LAUNCH_CONTAINERS,
  NRPS_OPTIONS,
  PRIVACY_OPTIONS,
  TOOL_CONFIGURATION_USAGE,
  TOOL_SETTINGS_OPTIONS,
  type MoodleSettings,
} from './settings.js';

/** The tool as the checklist shows it: its name, URLs and tool-level custom parameters. */
export interface ChecklistTool {
  name: string;
  urls: ToolUrls;
  customParameters: Record<string, string>;
}

export type ChecklistSection = 'Tool settings' | 'Services' | 'Privacy';

export interface ChecklistItem {
  section: ChecklistSection;
  /** The field's label on Moodle's form, exactly. */
  label: string;
  /** What to enter or choose; multi-line for textareas (one entry per line). */
  value: string;
  /** How the field is filled in. */
  input: 'text' | 'textarea' | 'select' | 'checkbox';
  note?: string;
}

/** Where an administrator manages LTI tools (Manage tools). */
export const MANAGE_TOOLS = 'Site administration > Plugins > Activity modules > External tool > Manage tools';
export const MANAGE_TOOLS_PATH = `${MANAGE_TOOLS} > configure a tool manually`;

/**
 * Moodle's "Configure a tool manually" form for Inspera, in the form's own order with its own labels
 * (mod/lti/edit_form.php; facts D and E.2). Values come from the config; nothing here has trailing spaces.
 */
export function moodleChecklist(tool: ChecklistTool, settings: MoodleSettings): ChecklistItem[] {
  const customText = parametersToMoodleText(tool.customParameters);
  const items: ChecklistItem[] = [
    { section: 'Tool settings', label: 'Tool name', value: tool.name, input: 'text' },
    { section: 'Tool settings', label: 'Tool URL', value: tool.urls.toolUrl, input: 'text' },
    { section: 'Tool settings', label: 'LTI version', value: 'LTI 1.3', input: 'select' },
    { section: 'Tool settings', label: 'Public key type', value: 'Keyset URL', input: 'select' },
    { section: 'Tool settings', label: 'Public keyset', value: tool.urls.keysetUrl, input: 'text' },
    { section: 'Tool settings', label: 'Initiate login URL', value: tool.urls.loginInitUrl, input: 'text' },
    {
      section: 'Tool settings',
      label: 'Redirection URI(s)',
      value: tool.urls.redirectUrls.join('\n'),
      input: 'textarea',
      note: 'one per line',
    },
    {
      section: 'Tool settings',
      label: 'Custom parameters',
      value: customText,
      input: 'textarea',
      ...(customText ? { note: 'one name=value per line' } : { note: 'leave empty' }),
    },
    {
      section: 'Tool settings',
      label: 'Tool configuration usage',
      value: TOOL_CONFIGURATION_USAGE[settings.toolConfigurationUsage],
      input: 'select',
    },
    {
      section: 'Tool settings',
      label: 'Default launch container',
      value: LAUNCH_CONTAINERS[settings.launchContainer].label,
      input: 'select',
      ...(LAUNCH_CONTAINERS[settings.launchContainer].documentTarget === 'iframe'
        ? { note: "embedded launches can lose the tool's cookie in Safari and private windows; New window avoids that" }
        : {}),
    },
    {
      section: 'Tool settings',
      label: 'Supports Deep Linking (Content-Item Message)',
      value: settings.deepLinking ? 'checked' : 'unchecked',
      input: 'checkbox',
    },
  ];
  if (!settings.deepLinking) {
    items.push({
      section: 'Tool settings',
      label: 'Content Selection URL',
      value: '',
      input: 'text',
      note: 'leave empty',
    });
  }
  items.push(
    {
      section: 'Services',
      label: 'IMS LTI Assignment and Grade Services',
      value: AGS_LEVELS[settings.services.ags],
      input: 'select',
    },
    {
      section: 'Services',
      label: 'IMS LTI Names and Role Provisioning',
      value: settings.services.nrps ? NRPS_OPTIONS.on : NRPS_OPTIONS.off,
      input: 'select',
    },
    {
      section: 'Services',
      label: 'Tool Settings',
      value: settings.services.toolSettings ? TOOL_SETTINGS_OPTIONS.on : TOOL_SETTINGS_OPTIONS.off,
      input: 'select',
    },
    {
      section: 'Privacy',
      label: "Share launcher's name with tool",
      value: PRIVACY_OPTIONS[settings.privacy.shareName],
      input: 'select',
    },
    {
      section: 'Privacy',
      label: "Share launcher's email with tool",
      value: PRIVACY_OPTIONS[settings.privacy.shareEmail],
      input: 'select',
    },
    {
      section: 'Privacy',
      label: 'Accept grades from the tool',
      value: ACCEPT_GRADES_OPTIONS[settings.privacy.acceptGrades],
      input: 'select',
    },
  );
  return items;
}
