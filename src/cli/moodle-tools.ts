import type { Config } from '../config/types.js';
import { InsperaLtiError, isInsperaLtiError } from '../errors.js';
import { HttpClient } from '../http/client.js';
import type { MoodleToolReading } from '../doctor/inputs.js';
import { httpLog } from './http-log.js';
import { parseMoodleSiteUrl } from '../moodle/site-url.js';
import { moodleAccounts } from './moodle-accounts.js';
import { numberFlag } from './number-flag.js';
import type { Output } from './output.js';
import type { MoodleSession } from '../moodle/admin/session.js';
import type { Account } from '../sim/simulate.js';

export interface MoodleReadFlags {
  moodleUrl?: string;
  moodleUser?: string;
  passwordFile?: string;
  toolId?: string;
  cmid?: string;
  /** Per request, in ms; the whole command gets 15 times as long. */
  timeout?: string;
  json?: boolean;
  /** An http, localhost or IP --moodle-url (a test site): the password then crosses plain http. */
  allowInsecure?: boolean;
  allowIdn?: boolean;
}

/** The Moodle to read: --moodle-url, else the recorded Platform ID (its wwwroot). */
export function moodleUrlOf(flags: MoodleReadFlags, config: Config): string {
  // A typed address is checked as init checks it: an administrator's password goes there, never over http unasked.
  const url = flags.moodleUrl
    ? parseMoodleSiteUrl(flags.moodleUrl, {
        allowInsecure: flags.allowInsecure === true || config.allowInsecure,
        allowIdn: flags.allowIdn === true || config.allowIdn,
      }).wwwroot
    : config.platform.platformId?.trim().replace(/\/+$/, '');
  if (!url)
    throw new InsperaLtiError(
      'MISSING_FLAG',
      'which Moodle? no --moodle-url and no recorded Platform ID',
      'add --moodle-url https://moodle.example.edu (the site address)',
    );
  return url;
}

/**
 * A logged-in Moodle session for --moodle-user (default admin), the password from --password-file, MOODLE_PASSWORD
 * or a prompt; the caller closes `http`. With --verbose, every request is logged (redacted).
 */
export async function openMoodleSession(
  out: Output,
  flags: MoodleReadFlags,
  wwwroot: string,
): Promise<{ session: MoodleSession; http: HttpClient; account: Account }> {
  const [found] = (await moodleAccounts(
    {
      platformUrl: wwwroot,
      username: flags.moodleUser ?? 'admin',
      ...(flags.passwordFile ? { passwordFile: flags.passwordFile } : {}),
      ...(flags.json ? { json: true } : {}),
    },
    process.env,
    (line) => out.warn(line),
  ))!;
  const account = found!;
  const { MoodleSession, DEFAULT_SESSION_TIMEOUTS } = await import('../moodle/admin/session.js');
  const requestMs = numberFlag(flags.timeout, '--timeout', DEFAULT_SESSION_TIMEOUTS.requestMs, {
    min: 100,
    max: 600_000,
  });
  const trace = httpLog(out);
  const http = new HttpClient(new Map(), { timeoutMs: requestMs, proxyEnv: process.env, ...(trace ? { trace } : {}) });
  try {
    const session = new MoodleSession(wwwroot, http, { requestMs, commandMs: requestMs * 15 });
    out.progress(`logging in to ${wwwroot} as ${account.username}…`);
    await session.login(account.username, account.password);
    return { session, http, account };
  } catch (error) {
    await http.close();
    throw error;
  }
}

/**
 * Log in as an administrator (--moodle-user, default admin; the password from --password-file, MOODLE_PASSWORD or a
 * prompt) and read the LTI tools as Manage tools lists them, then every stored value of this tenant's tool(s), or of
 * --tool-id. Only GETs and the login form are sent.
 */
export async function readMoodleTools(out: Output, flags: MoodleReadFlags, config: Config): Promise<MoodleToolReading> {
  const wwwroot = moodleUrlOf(flags, config);
  const toolId = flags.toolId === undefined ? undefined : Number(flags.toolId);
  const cmid = flags.cmid === undefined ? undefined : Number(flags.cmid);
  if (cmid !== undefined && !(Number.isInteger(cmid) && cmid > 0))
    throw new InsperaLtiError(
      'INVALID_VALUE',
      `--cmid ${flags.cmid} is not an activity id`,
      "give the id= of the activity's address (…/mod/lti/view.php?id=N)",
    );
  if (toolId !== undefined && !(Number.isInteger(toolId) && toolId > 0))
    throw new InsperaLtiError(
      'INVALID_VALUE',
      `--tool-id ${flags.toolId} is not a tool id`,
      "give the number in the tool's edit address (id=N)",
    );
  if (toolId === undefined && !config.tool)
    throw new InsperaLtiError(
      'CONFIG_INCOMPLETE',
      'no Inspera tenant configured, so no tool in Moodle can be recognised as its',
      'run inspera-lti init --domain <tenant> first, or choose the tool with --tool-id N',
    );
  const { insperaTools, listTools, readTool } = await import('../moodle/admin/stored-tools.js');
  const { session, http, account } = await openMoodleSession(out, flags, wwwroot);
  try {
    let listed: Awaited<ReturnType<typeof listTools>>;
    try {
      listed = await listTools(session);
    } catch (error) {
      // Not an administrator: with an activity, the launch Moodle would make is still there to read.
      if (cmid === undefined || !isInsperaLtiError(error) || error.code !== 'MOODLE_NOT_ALLOWED') throw error;
      const { mobileLaunchToken } = await import('../moodle/admin/mobile-launch.js');
      out.progress(`${account.username} may not read the tools: asking for the launch of activity ${cmid} instead…`);
      return {
        wwwroot,
        listed: [],
        stored: [],
        chosenBy:
          `the launch Moodle makes for activity ${cmid} as ${account.username}, ` + 'through its mobile web service',
        launchToken: await mobileLaunchToken(http, wwwroot, account, cmid),
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
      const { tenantMatch, withCourse } = await import('../moodle/admin/stored-tools.js');
      const chosen = await withCourse(
        session,
        await readTool(session, toolId),
        listed.find((t) => t.id === toolId),
      );
      if (config.tool && tenantMatch(chosen, config.tool.domain) === 'none')
        throw new InsperaLtiError(
          'CHECK_FAILED',
          `--tool-id ${toolId}: tool ${toolId} "${chosen.name}" is not on this tenant's domain ` +
            `(${config.tool.domain}; its Tool URL is ${chosen.toolUrl || 'empty'}), so it is not audited as Inspera's`,
          'give the id of the Inspera tool (the number in its edit address in Manage tools), or leave --tool-id out',
        );
      return { wwwroot, listed, stored: [chosen], chosenBy: `tool ${toolId}`, ...withActivity };
    }
    out.progress(`reading the ${listed.length} tool${listed.length === 1 ? '' : 's'} Manage tools lists…`);
    const stored = await insperaTools(session, listed, config.tool!.domain);
    // No tool of the tenant's: advise adding one only where the site gives the form to (init --apply uses it too).
    const addForm = stored.length ? undefined : await (await import('../moodle/admin/apply.js')).addFormAnswer(session);
    return {
      wwwroot,
      listed,
      stored,
      chosenBy: `the tools on ${config.tool!.domain}`,
      ...withActivity,
      ...(addForm ? { addForm } : {}),
    };
  } finally {
    await session.logout();
    await http.close();
  }
}

/** An activity's own settings from its edit form (course/modedit.php?update=CMID, a GET). */
async function readActivity(
  session: import('../moodle/admin/session.js').MoodleSession,
  cmid: number,
): Promise<import('../moodle/admin/activity.js').ActivitySettings> {
  const [{ formValues }, { activityFrom }] = await Promise.all([
    import('../moodle/admin/tool-form.js'),
    import('../moodle/admin/activity.js'),
  ]);
  const page = await session.page(`/course/modedit.php?update=${cmid}`);
  if (!page.body.includes('_qf__mod_lti_mod_form'))
    throw new InsperaLtiError(
      'MOODLE_NOT_ALLOWED',
      `--cmid ${cmid}: ${page.url} (HTTP ${page.status}) shows no External tool activity settings`,
      "give the id= of an External tool activity's address, and an account that may edit it",
    );
  return activityFrom(cmid, formValues(page.body, '_qf__mod_lti_mod_form'));
}
