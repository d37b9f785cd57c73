import { InsperaLtiError, isInsperaLtiError } from '../../errors.js';
import type { HttpClient } from '../../http/client.js';
import { activityFrom, type ActivitySettings } from './activity.js';
import { addFormAnswer } from './apply.js';
import { mobileLaunchToken } from './mobile-launch.js';
import type { MoodleSession } from './session.js';
import {
  dialogValues,
  insperaTools,
  listTools,
  readTool,
  tenantMatch,
  withCourse,
  type ListedTool,
} from './stored-tools.js';
import { formValues, type StoredTool } from './tool-form.js';
import type { ToolDetails } from '../tool-details.js';

/** Which tools to read, through a logged-in session. */
export interface ReadToolsRequest {
  session: MoodleSession;
  /** The session's client and account: the non-administrator's fallback asks the mobile web service with them. */
  http: HttpClient;
  account: { username: string; password: string };
  wwwroot: string;
  /** The tenant whose tools are read (its domain); a --tool-id not on it is refused. */
  tenantDomain?: string;
  toolId?: number;
  cmid?: number;
}

/** What was read of a Moodle's LTI tools: the list Manage tools shows, and the forms of the tenant's tools. */
export interface StoredToolsReading {
  wwwroot: string;
  listed: ListedTool[];
  /** The tools on this tenant's domain (or the one --tool-id chose), every stored value. */
  stored: StoredTool[];
  /** How they were chosen, for the report. */
  chosenBy: string;
  /** With --cmid: that activity's own settings. */
  activity?: ActivitySettings;
  /** When no tool is the tenant's: whether the site gives the form to add one (read by a GET), and why not. */
  addForm?: { available: boolean; why?: string };
  /**
   * Without administrator rights, with --cmid: the id_token Moodle signs for that activity (mobile web service). A
   * secret: doctor reads it as a pasted token, nothing prints it.
   */
  launchToken?: string;
  /** The activity that launch is of. */
  launchCmid?: number;
}

/**
 * The tools as Manage tools lists them, then every stored value of this tenant's tool(s), or of --tool-id; with
 * --cmid that activity's own settings — or, for an account that may not read the tools, the launch Moodle would make
 * for the activity. Only GETs: nothing is submitted.
 */
export async function readStoredTools(
  request: ReadToolsRequest,
  hooks: { progress?: (line: string) => void } = {},
): Promise<StoredToolsReading> {
  const { session, http, account, wwwroot, toolId, cmid } = request;
  let listed: Awaited<ReturnType<typeof listTools>>;
  try {
    listed = await listTools(session);
  } catch (error) {
    // Not an administrator: with an activity, the launch Moodle would make is still there to read.
    if (cmid === undefined || !isInsperaLtiError(error) || error.code !== 'MOODLE_NOT_ALLOWED') throw error;
    hooks.progress?.(`${account.username} may not read the tools: asking for the launch of activity ${cmid} instead…`);
    return {
      wwwroot,
      listed: [],
      stored: [],
      chosenBy:
        `the launch Moodle makes for activity ${cmid} as ${account.username}, ` + 'through its mobile web service',
      launchToken: await mobileLaunchToken(http, wwwroot, account, cmid),
      launchCmid: cmid,
    };
  }
  const activity = cmid === undefined ? undefined : await readActivity(session, cmid);
  const withActivity = activity ? { activity } : {};
  if (toolId !== undefined) {
    if (!listed.some((t) => t.id === toolId))
      throw new InsperaLtiError(
        'INVALID_VALUE',
        `--tool-id ${toolId}: Moodle lists no such tool (it has ${listed.map((t) => t.id).join(', ') || 'none'})`,
        'give the id of a tool Manage tools lists',
      );
    const chosen = await withCourse(
      session,
      await readTool(session, toolId),
      listed.find((t) => t.id === toolId),
    );
    if (request.tenantDomain && tenantMatch(chosen, request.tenantDomain) === 'none')
      throw new InsperaLtiError(
        'CHECK_FAILED',
        `--tool-id ${toolId}: tool ${toolId} "${chosen.name}" is not on this tenant's domain ` +
          `(${request.tenantDomain}; its Tool URL is ${chosen.toolUrl || 'empty'}), so it is not audited as Inspera's`,
        'give the id of the Inspera tool (the number in its edit address in Manage tools), or leave --tool-id out',
      );
    return { wwwroot, listed, stored: [chosen], chosenBy: `tool ${toolId}`, ...withActivity };
  }
  hooks.progress?.(`reading the ${listed.length} tool${listed.length === 1 ? '' : 's'} Manage tools lists…`);
  const stored = await insperaTools(session, listed, request.tenantDomain!);
  // No tool of the tenant's: advise adding one only where the site gives the form to (init --apply uses it too).
  const addForm = stored.length ? undefined : await addFormAnswer(session);
  return {
    wwwroot,
    listed,
    stored,
    chosenBy: `the tools on ${request.tenantDomain!}`,
    ...withActivity,
    ...(addForm ? { addForm } : {}),
  };
}

/** An activity's own settings from its edit form (course/modedit.php?update=CMID, a GET). */
async function readActivity(session: MoodleSession, cmid: number): Promise<ActivitySettings> {
  const page = await session.page(`/course/modedit.php?update=${cmid}`);
  if (!page.body.includes('_qf__mod_lti_mod_form'))
    throw new InsperaLtiError(
      'MOODLE_NOT_ALLOWED',
      `--cmid ${cmid}: ${page.url} (HTTP ${page.status}) shows no External tool activity settings`,
      "give the id= of an External tool activity's address, and an account that may edit it",
    );
  return activityFrom(cmid, formValues(page.body, '_qf__mod_lti_mod_form'));
}

/** The six values of the one tool read (the tenant's, or --tool-id's) exactly as Moodle's dialog shows them. */
export function dialogOfTheTool(
  reading: StoredToolsReading,
  domain: string | undefined,
): { values: Partial<ToolDetails>; name: string } {
  if (reading.stored.length !== 1)
    throw new InsperaLtiError(
      'CHECK_FAILED',
      reading.stored.length === 0
        ? `Moodle ${reading.wwwroot} has no LTI tool on ${domain}: nothing to record`
        : `Moodle ${reading.wwwroot} has ${reading.stored.length} tools on ${domain} ` +
            `(ids ${reading.stored.map((t) => t.id).join(', ')})`,
      reading.stored.length === 0
        ? 'set the tool up in Moodle first (the values: inspera-lti init), or choose one with --tool-id N'
        : 'choose one with --tool-id N (and keep only one: doctor --moodle says why)',
    );
  return dialogValues(reading.listed.find((t) => t.id === reading.stored[0]!.id)!);
}
