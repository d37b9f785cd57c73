/**
 * The settings an admin chooses on Moodle's "Configure a tool manually" form, with Moodle's own option labels
 * (mod/lti/edit_form.php and lang strings; facts D and B). Values are our stable names, labels are Moodle's text.
 */
export const AGS_LEVELS = {
  off: 'Do not use this service',
  'grade-sync': 'Use this service for grade sync only',
  // Moodle's lang string really ends with a space; we print it trimmed so a paste matches the option.
  'grade-sync-and-columns': 'Use this service for grade sync and column management',
} as const;
export type AgsLevel = keyof typeof AGS_LEVELS;

export const NRPS_OPTIONS = {
  off: 'Do not use this service',
  on: "Use this service to retrieve members' information as per privacy settings",
} as const;

export const TOOL_SETTINGS_OPTIONS = {
  off: 'Do not use this service',
  on: 'Use this service',
} as const;

export const PRIVACY_OPTIONS = {
  never: 'Never',
  always: 'Always',
  delegate: 'Delegate to teacher',
} as const;
export type PrivacyChoice = keyof typeof PRIVACY_OPTIONS;

export const ACCEPT_GRADES_OPTIONS = {
  never: 'Never',
  always: 'Always',
  delegate: 'As specified in Deep Linking definition or Delegate to teacher',
} as const;

export const LAUNCH_CONTAINERS = {
  embed: { label: 'Embed', moodleValue: 2, documentTarget: 'iframe' },
  'embed-no-blocks': { label: 'Embed, without blocks', moodleValue: 3, documentTarget: 'iframe' },
  'existing-window': { label: 'Existing window', moodleValue: 5, documentTarget: 'frame' },
  'new-window': { label: 'New window', moodleValue: 4, documentTarget: 'window' },
} as const;
export type LaunchContainer = keyof typeof LAUNCH_CONTAINERS;

export const TOOL_CONFIGURATION_USAGE = {
  hidden: 'Do not show; use only when a matching tool URL is entered',
  preconfigured: 'Show as preconfigured tool when adding an external tool',
  'activity-chooser': 'Show in activity chooser and as a preconfigured tool',
} as const;
export type ToolConfigurationUsage = keyof typeof TOOL_CONFIGURATION_USAGE;

/** The codes the tool form posts for these settings (mod/lti/edit_form.php: select values). */
export const FORM_CODES = {
  privacy: { never: '0', always: '1', delegate: '2' },
  ags: { off: '0', 'grade-sync': '1', 'grade-sync-and-columns': '2' },
  usage: { hidden: '0', preconfigured: '1', 'activity-chooser': '2' },
} as const satisfies {
  privacy: Record<PrivacyChoice, string>;
  ags: Record<AgsLevel, string>;
  usage: Record<ToolConfigurationUsage, string>;
};

/** The setting a posted code stands for; undefined for a code the table does not have. */
export function settingOfCode<T extends string>(
  table: Readonly<Record<T, string>>,
  code: string | undefined,
): T | undefined {
  return (Object.keys(table) as T[]).find((name) => table[name] === code);
}

export interface MoodleSettings {
  services: { ags: AgsLevel; nrps: boolean; toolSettings: boolean };
  privacy: { shareName: PrivacyChoice; shareEmail: PrivacyChoice; acceptGrades: PrivacyChoice };
  launchContainer: LaunchContainer;
  toolConfigurationUsage: ToolConfigurationUsage;
  deepLinking: boolean;
}

/**
 * What Inspera asks for (facts E.2). Launch container: Inspera accepts any; we default to New window because an
 * embedded (iframe) launch is where browsers drop the tool's state cookie (facts F.7).
 */
export function insperaRecommendedSettings(): MoodleSettings {
  return {
    services: { ags: 'grade-sync-and-columns', nrps: true, toolSettings: false },
    privacy: { shareName: 'always', shareEmail: 'always', acceptGrades: 'always' },
    launchContainer: 'new-window',
    toolConfigurationUsage: 'preconfigured',
    deepLinking: false,
  };
}
