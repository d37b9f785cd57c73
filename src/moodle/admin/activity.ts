import type { CheckResult } from '../../core/result.js';
import { LAUNCH_CONTAINERS, type LaunchContainer } from '../settings.js';
import { moodleCustomParameters } from './audit.js';
import { toolPlace } from './stored-tools.js';
import type { StoredTool } from './tool-form.js';

/** One LTI activity's own settings, from its edit form (course/modedit.php?update=CMID, mod/lti/mod_form.php). */
export interface ActivitySettings {
  cmid: number;
  typeId: number;
  /** "default" (1): the tool's Default launch container. */
  launchContainer: LaunchContainer | 'default';
  customParameters: string;
  /** "Accept grades from the tool": asked of the teacher only when the tool says Delegate. */
  acceptGrades: boolean;
  /**
   * "Share launcher's name / email with the tool": the teacher's choice when the tool says Delegate; undefined when
   * the form does not show it (Moodle 4.3+ removed both from the activity form; the stored value still decides).
   */
  shareName?: boolean;
  shareEmail?: boolean;
}

export function activityFrom(cmid: number, values: Record<string, string>): ActivitySettings {
  const container = Object.entries(LAUNCH_CONTAINERS).find(([, c]) => String(c.moodleValue) === values.launchcontainer);
  return {
    cmid,
    typeId: Number(values.typeid ?? 0),
    launchContainer: container ? (container[0] as LaunchContainer) : 'default',
    customParameters: values.instructorcustomparameters ?? '',
    acceptGrades: values.instructorchoiceacceptgrades === '1',
    ...(Object.hasOwn(values, 'instructorchoicesendname')
      ? { shareName: values.instructorchoicesendname === '1' }
      : {}),
    ...(Object.hasOwn(values, 'instructorchoicesendemailaddr')
      ? { shareEmail: values.instructorchoicesendemailaddr === '1' }
      : {}),
  };
}

const WHERE = (cmid: number) => `Moodle: the activity (course/modedit.php?update=${cmid}) > Edit settings`;

/**
 * The activity's own settings against its tool: that it launches through the Inspera tool, its launch container,
 * "Accept grades" left unchecked under Delegate, and custom parameters the tool's values override
 * (lti_build_custom_parameters: the tool's value wins).
 */
export function auditActivity(activity: ActivitySettings, tool: StoredTool): CheckResult[] {
  const results: CheckResult[] = [];
  const where = WHERE(activity.cmid);
  results.push(
    activity.typeId === tool.id
      ? {
          id: 'moodle.activity-tool',
          title: 'Activity: External tool',
          status: 'pass',
          finding: `launches through tool ${tool.id}`,
        }
      : {
          id: 'moodle.activity-tool',
          title: 'Activity: External tool',
          status: 'fail',
          finding:
            `activity ${activity.cmid} launches through tool ${activity.typeId || '(by URL)'}, ` +
            `not the Inspera tool ${tool.id}`,
          cause: { id: 'tool-setting' },
          fix: {
            system: 'Moodle',
            where,
            field: 'Preconfigured tool',
            value: tool.name,
            action: 'choose the Inspera tool',
          },
        },
  );
  const container = activity.launchContainer === 'default' ? tool.launchContainer : activity.launchContainer;
  const framed = container !== undefined && LAUNCH_CONTAINERS[container].documentTarget === 'iframe';
  results.push(
    framed
      ? {
          id: 'moodle.activity-container',
          title: 'Activity: Launch container',
          status: 'warn',
          finding:
            `the activity opens Inspera in an iframe (${LAUNCH_CONTAINERS[container!].label}` +
            `${activity.launchContainer === 'default' ? ", the tool's default" : ''}): ` +
            "browsers that block third-party cookies lose the tool's state cookie",
          cause: { id: 'state-cookie' },
          fix: {
            system: 'Moodle',
            where,
            field: 'Launch container',
            value: LAUNCH_CONTAINERS['new-window'].label,
            action: 'open Inspera in a new window',
          },
        }
      : {
          id: 'moodle.activity-container',
          title: 'Activity: Launch container',
          status: 'pass',
          finding: container ? LAUNCH_CONTAINERS[container].label : 'the default',
        },
  );
  if (tool.acceptGrades === 'delegate')
    results.push(
      activity.acceptGrades
        ? {
            id: 'moodle.activity-grades',
            title: 'Activity: Accept grades from the tool',
            status: 'pass',
            finding: 'checked',
          }
        : {
            id: 'moodle.activity-grades',
            title: 'Activity: Accept grades from the tool',
            status: 'fail',
            finding: "the tool delegates it to the teacher and the box is unchecked: Inspera's marks are refused",
            cause: { id: 'accept-grades' },
            fix: {
              system: 'Moodle',
              where,
              field: 'Accept grades from the tool',
              value: 'checked',
              action: 'tick the box',
            },
          },
    );
  // Privacy delegated to the teacher: what this activity's launch carries is its own tick.
  for (const [key, label, what] of [
    ['shareName', "Share launcher's name with the tool", 'names'],
    ['shareEmail', "Share launcher's email with the tool", 'e-mail addresses'],
  ] as const) {
    if (tool[key] !== 'delegate') continue;
    const ticked = activity[key];
    results.push(
      ticked === undefined
        ? {
            id: `moodle.activity-${key}`,
            title: `Activity: ${label}`,
            status: 'skip',
            finding:
              'what this activity sends: its form shows no such choice since Moodle 4.3, yet the value it was ' +
              `created ` +
              `with decides under Delegate — a launch's id_token shows it (doctor --token, or --moodle-user with ` +
              'the mobile web service)',
          }
        : ticked
          ? {
              id: `moodle.activity-${key}`,
              title: `Activity: ${label}`,
              status: 'pass',
              finding: 'ticked by the teacher',
            }
          : {
              id: `moodle.activity-${key}`,
              title: `Activity: ${label}`,
              status: 'warn',
              finding:
                'the tool delegates it to the teacher and the box is unticked: this activity sends Inspera no ' + what,
              cause: { id: 'privacy' },
              fix: { system: 'Moodle', where, field: label, value: 'ticked', action: 'tick the box' },
            },
    );
  }
  const own = moodleCustomParameters(activity.customParameters);
  const tools = moodleCustomParameters(tool.customParameters);
  const overridden = Object.keys(own).filter((name) => name in tools && tools[name] !== own[name]);
  results.push(
    overridden.length
      ? {
          id: 'moodle.activity-custom',
          title: 'Activity: Custom parameters',
          status: 'warn',
          finding:
            `${overridden.map((n) => `${n}=${own[n]}`).join(', ')} in the activity never reach Inspera: the tool's ` +
            `${overridden.map((n) => `${n}=${tools[n]}`).join(', ')} wins (lti_build_custom_parameters)`,
          cause: { id: 'activity-parameter-overridden' },
          fix: {
            system: 'Moodle',
            where: `${toolPlace(tool)} > Tool settings`,
            field: 'Custom parameters',
            action: 'change the value at the tool, or remove it there to let activities set it',
          },
        }
      : {
          id: 'moodle.activity-custom',
          title: 'Activity: Custom parameters',
          status: 'pass',
          finding: Object.keys(own).length ? 'none that the tool overrides' : 'none of its own',
        },
  );
  return results;
}
