import { InsperaLtiError } from '../../errors.js';
import type { HttpClient } from '../../http/client.js';
import { encodeForm } from '../../util/form.js';

/**
 * The launch Moodle would make for an activity, as a teacher's or learner's account can get it where the site enables
 * the mobile web service: a mobile token (login/token.php, service moodle_mobile_app), the activity's instance
 * (core_course_get_course_module), then mod_lti_get_tool_launch_data — whose parameters hold a real id_token Moodle
 * signs. The token is a secret: it is handed to doctor, never printed.
 */
export async function mobileLaunchToken(
  http: HttpClient,
  wwwroot: string,
  account: { username: string; password: string },
  cmid: number,
): Promise<string> {
  const post = async (path: string, fields: Record<string, string>) => {
    const answer = await http.send({
      method: 'POST',
      url: `${wwwroot}${path}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: encodeForm(fields),
    });
    try {
      return JSON.parse(answer.body) as Record<string, unknown>;
    } catch {
      throw new InsperaLtiError(
        'MOODLE_NOT_ALLOWED',
        `${wwwroot}${path} answered HTTP ${answer.status} without JSON: this site does not offer Moodle's web services`,
        'ask the site administrator, or use an administrator account (doctor --moodle without --moodle-user)',
      );
    }
  };
  // The password goes in the POST body, never in a URL a web server would log.
  const login = await post('/login/token.php', {
    username: account.username,
    password: account.password,
    service: 'moodle_mobile_app',
  });
  if (typeof login.token !== 'string') {
    const code = String(login.errorcode ?? '');
    throw new InsperaLtiError(
      code === 'invalidlogin' ? 'MOODLE_LOGIN_REFUSED' : 'MOODLE_NOT_ALLOWED',
      code === 'invalidlogin'
        ? `Moodle refused the login for ${account.username} (a wrong password, or a locked or suspended account)`
        : `this Moodle does not let ${account.username} use its mobile web service ` +
            `("${String(login.error ?? code)}"), ` +
            'so the launch it would make cannot be read without an administrator',
      code === 'invalidlogin'
        ? 'check the user name and the password'
        : 'use an administrator account (doctor --moodle reads the tool itself), or ask the site to enable mobile ' +
            'web services (Site administration > Mobile app > Mobile settings)',
    );
  }
  const call = async (wsfunction: string, args: Record<string, string>) => {
    const answer = await post('/webservice/rest/server.php', {
      wstoken: login.token as string,
      wsfunction,
      moodlewsrestformat: 'json',
      ...args,
    });
    if (answer.exception)
      throw new InsperaLtiError(
        'MOODLE_NOT_ALLOWED',
        `${wsfunction}: Moodle said "${String(answer.message ?? answer.errorcode)}"`,
        `check that activity ${cmid} is an External tool activity ${account.username} can open`,
      );
    return answer;
  };
  const module = (await call('core_course_get_course_module', { cmid: String(cmid) })).cm as
    | { instance?: number; modname?: string }
    | undefined;
  if (module?.modname !== 'lti' || !module.instance)
    throw new InsperaLtiError(
      'INVALID_VALUE',
      `--cmid ${cmid} is not an External tool activity (it is ${module?.modname ?? 'unknown'})`,
      "give the id= of the activity's address (…/mod/lti/view.php?id=N)",
    );
  const launch = await call('mod_lti_get_tool_launch_data', { toolid: String(module.instance) });
  const parameters = (launch.parameters as Array<{ name: string; value: string }> | undefined) ?? [];
  const idToken = parameters.find((p) => p.name === 'id_token')?.value;
  if (!idToken)
    throw new InsperaLtiError(
      'CHECK_FAILED',
      `activity ${cmid}'s launch data has no id_token: its tool is not an LTI 1.3 tool`,
      'check the tool type of the activity (LTI version 1.3)',
    );
  return idToken;
}
