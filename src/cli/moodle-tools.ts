import type { Config } from '../config/types.js';
import { InsperaLtiError } from '../errors.js';
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
function moodleUrlOf(flags: MoodleReadFlags, config: Config): string {
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
  const { readStoredTools } = await import('../moodle/admin/read-stored-tools.js');
  const { session, http, account } = await openMoodleSession(out, flags, wwwroot);
  try {
    return await readStoredTools(
      {
        session,
        http,
        account,
        wwwroot,
        ...(config.tool ? { tenantDomain: config.tool.domain } : {}),
        ...(toolId !== undefined ? { toolId } : {}),
        ...(cmid !== undefined ? { cmid } : {}),
      },
      { progress: (line) => out.progress(line) },
    );
  } finally {
    await session.logout();
    await http.close();
  }
}
