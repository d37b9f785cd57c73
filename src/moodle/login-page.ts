import type { HtmlForm } from '../util/html.js';
import { visibleText } from '../util/html.js';

/** Moodle's login form on its login page (login/index.php): the form named "login", else one asking a password. */
export function loginFormOf(forms: readonly HtmlForm[]): HtmlForm | undefined {
  return (
    forms.find((f) => f.name === 'login') ?? forms.find((f) => 'password' in f.fields && f.fields.username !== 'guest')
  );
}

/** The login error the page shows (4.x: the sr-only `loginerrormessage` link, or an `alert-danger`). */
export function loginErrorOf(html: string): string | undefined {
  const match =
    /id="loginerrormessage"[^>]*>([^<]+)</.exec(html) ?? /class="[^"]*alert-danger[^"]*"[^>]*>([^<]+)</.exec(html);
  return match ? visibleText(match[1]!) : undefined;
}
