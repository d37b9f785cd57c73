import type { Browser } from './browser.js';
import { loginErrorOf, loginFormOf } from '../moodle/login-page.js';
import { parseForms } from '../util/html.js';

export interface LoginOutcome {
  ok: boolean;
  /** Moodle's user id, from the testsession redirect a successful login passes through. */
  userId?: number;
  /** Why it failed, in Moodle's words where it gave any. */
  reason?: string;
}

/**
 * Log in to Moodle as a browser does: GET the login page for its form and `logintoken`, POST them with the
 * credentials. Success is the redirect to `login/index.php?testsession=<userid>` that Moodle (2.x to 5.x) sends after
 * a good login; a session cookie alone proves nothing, since Moodle gives every visitor a guest one.
 */
export async function moodleLogin(
  browser: Browser,
  wwwroot: string,
  username: string,
  password: string,
): Promise<LoginOutcome> {
  const page = await browser.go('GET', `${wwwroot}/login/index.php`);
  page.step.note = 'the login page (for its logintoken)';
  const forms = parseForms(page.response.body);
  const form = loginFormOf(forms);
  if (!form) {
    return {
      ok: false,
      reason:
        `${wwwroot}/login/index.php answered HTTP ${page.response.status} ` +
        `without a login form — is this Moodle's address, ` +
        `and is its login page the standard one (no SSO-only ` +
        `login)?`,
    };
  }
  const first = browser.steps.length;
  const fields = { ...form.fields, username, password };
  const action = new URL(form.action || `${wwwroot}/login/index.php`, page.step.url).toString();
  const answer = await browser.go('POST', action, fields, 0, new URL(page.step.url));
  browser.steps[first]!.note = 'log in to Moodle';
  const testsession = browser.steps
    .slice(first)
    .map((s) => s.location ?? '')
    .find((l) => /[?&]testsession=\d+/.test(l));
  if (testsession) return { ok: true, userId: Number(/[?&]testsession=(\d+)/.exec(testsession)![1]) };
  const said = loginErrorOf(answer.response.body);
  const tokenSent = 'logintoken' in fields;
  return {
    ok: false,
    reason: said
      ? `Moodle refused the login for ${username}: "${said}"${tokenSent ? '' : ' (its login form had no logintoken)'}`
      : `Moodle refused the login for ${username} (HTTP ` +
        `${answer.response.status} at ${answer.step.url.split('?')[0]}, ` +
        `no testsession redirect)`,
  };
}

/**
 * Log out of a real Moodle at the end of a run, as the user menu does (login/logout.php with the session's sesskey),
 * so the session a capture or a log may hold opens nothing afterwards. Best effort: a failure changes no result.
 */
export async function moodleLogout(browser: Browser, wwwroot: string): Promise<void> {
  try {
    const page = await browser.go('GET', `${wwwroot}/login/logout.php`);
    // Without a sesskey Moodle asks to confirm; its Continue button carries it.
    const body = page.response.body;
    const sesskey =
      /name="sesskey" value="([A-Za-z0-9]+)"/.exec(body)?.[1] ??
      /"sesskey":"([A-Za-z0-9]+)"/.exec(body)?.[1] ??
      /[?&;]sesskey=([A-Za-z0-9]+)/.exec(body)?.[1];
    if (sesskey) await browser.go('GET', `${wwwroot}/login/logout.php?sesskey=${sesskey}`);
  } catch {
    // The run's outcome stands; a Moodle that does not answer the logout ends the session by its own timeout.
  }
}
