import type { CheckResult } from '../core/result.js';
import { AGS_LEVELS, LAUNCH_CONTAINERS, NRPS_OPTIONS, PRIVACY_OPTIONS, type MoodleSettings } from './settings.js';

/** What the advice reads: the Moodle settings chosen, and the tool's custom parameters when there is a tool. */
export interface SettingsInput {
  moodle: MoodleSettings;
  tool?: { customParameters: Record<string, string> } | undefined;
}

const TOOL_SCREEN =
  'Site administration > Plugins > Activity modules > External tool > Manage tools > (edit the Inspera tool)';

/**
 * Where the chosen Moodle settings stop Inspera features from working (facts E.2, E.5, F.7, F.18, F.21, F.22).
 * Used by init (as advice) and doctor (as findings).
 */
export function adviseOnSettings(config: SettingsInput): CheckResult[] {
  const { moodle, tool } = config;
  const results: CheckResult[] = [];
  const enroll = tool?.customParameters.enroll_candidates === 'true';
  if (!moodle.services.nrps) {
    results.push({
      id: 'moodle.nrps-off',
      title: 'Names and Role Provisioning',
      // Launches work without it (what a launch shows too: the same severity by every route); enrolment does not.
      status: 'warn',
      faq: 'F.22',
      cause: { id: 'nrps-off' },
      finding: enroll
        ? 'enroll_candidates=true is set but NRPS is off, so Inspera cannot ' +
          'fetch the course members: candidates are not enrolled ' +
          'automatically'
        : 'NRPS is off: Inspera cannot enrol candidates automatically',
      fix: {
        system: 'Moodle',
        where: `${TOOL_SCREEN} > Services`,
        field: 'IMS LTI Names and Role Provisioning',
        value: NRPS_OPTIONS.on,
        action: 'turn the service on',
      },
    });
  } else if (tool && !enroll) {
    results.push({
      id: 'moodle.enroll-candidates-missing',
      title: 'Candidate auto-enrolment',
      status: 'warn',
      faq: 'F.22',
      cause: { id: 'nrps-off' },
      finding:
        'NRPS is on but the custom parameter enroll_candidates=true is not set, so Inspera does not enrol candidates',
      fix: {
        system: 'Moodle',
        where: `${TOOL_SCREEN} > Tool settings`,
        field: 'Custom parameters',
        value: 'enroll_candidates=true',
        action: 'add the line',
      },
    });
  }
  if (moodle.services.ags !== 'grade-sync-and-columns') {
    results.push({
      id: 'moodle.ags-level',
      title: 'Assignment and Grade Services',
      status: moodle.services.ags === 'off' ? 'fail' : 'warn',
      faq: 'F.18',
      cause: { id: 'ags-off' },
      finding:
        moodle.services.ags === 'off'
          ? 'AGS is off: marks from Inspera never reach the Moodle gradebook'
          : 'AGS is "grade sync only": Inspera asks for grade sync and column management',
      fix: {
        system: 'Moodle',
        where: `${TOOL_SCREEN} > Services`,
        field: 'IMS LTI Assignment and Grade Services',
        value: AGS_LEVELS['grade-sync-and-columns'],
        action: 'choose this option',
      },
    });
  }
  if (moodle.privacy.acceptGrades !== 'always') {
    results.push({
      id: 'moodle.accept-grades',
      title: 'Accept grades',
      status: 'warn',
      faq: 'F.18',
      cause: { id: 'accept-grades' },
      finding:
        `Accept grades from the tool is ${PRIVACY_OPTIONS[moodle.privacy.acceptGrades]}: ` +
        `activities get no grade item unless a teacher ` +
        `ticks it, and marks are dropped`,
      fix: {
        system: 'Moodle',
        where: `${TOOL_SCREEN} > Privacy`,
        field: 'Accept grades from the tool',
        value: 'Always',
        action: 'choose Always',
      },
    });
  }
  for (const [key, label] of [
    ['shareName', "Share launcher's name with tool"],
    ['shareEmail', "Share launcher's email with tool"],
  ] as const) {
    if (moodle.privacy[key] !== 'always') {
      results.push({
        id: `moodle.privacy-${key}`,
        title: label,
        status: 'warn',
        faq: 'F.21',
        cause: { id: 'privacy' },
        finding:
          moodle.privacy[key] === 'delegate'
            ? `${label} is Delegate to teacher: whether Inspera gets ` +
              `${key === 'shareName' ? 'names' : 'e-mail addresses'} depends on each activity's own setting ` +
              "(the teacher's tick); where it is unticked, Inspera cannot build users from them"
            : `${label} is ${PRIVACY_OPTIONS[moodle.privacy[key]]}: ` +
              `Inspera gets no ${key === 'shareName' ? 'names' : 'e-mail addresses'} ` +
              `and cannot build users from them`,
        fix: {
          system: 'Moodle',
          where: `${TOOL_SCREEN} > Privacy`,
          field: label,
          value: 'Always',
          action: 'choose Always (Inspera requires it)',
        },
      });
    }
  }
  if (LAUNCH_CONTAINERS[moodle.launchContainer].documentTarget === 'iframe') {
    results.push({
      id: 'moodle.launch-container-iframe',
      title: 'Default launch container',
      status: 'warn',
      faq: 'F.7',
      cause: { id: 'state-cookie' },
      finding:
        `${LAUNCH_CONTAINERS[moodle.launchContainer].label} ` +
        `opens Inspera inside an iframe, where Safari, ` +
        `private windows and strict cookie settings drop ` +
        `the tool's state cookie`,
      fix: {
        system: 'Moodle',
        where: `${TOOL_SCREEN} > Tool settings`,
        field: 'Default launch container',
        value: 'New window',
        action: 'choose New window',
      },
    });
  }
  if (moodle.deepLinking) {
    results.push({
      id: 'moodle.deep-linking',
      title: 'Deep Linking',
      status: 'warn',
      finding:
        "Supports Deep Linking is ticked: Inspera's Moodle setup guide " +
        "says to leave it unticked unless you use Inspera's deep-linking " +
        'feature (popups and AGS needed)',
      fix: {
        system: 'Moodle',
        where: `${TOOL_SCREEN} > Tool settings`,
        field: 'Supports Deep Linking (Content-Item Message)',
        value: 'unchecked',
        action: 'untick it unless you use deep linking',
      },
    });
  }
  return results;
}
