import type { HtmlForm } from '../util/html.js';
import { visibleText } from '../util/html.js';

/** Moodle's login form on its login page (login/index.php): the form named "login", else one asking a password. */
export function loginFormOf(forms: readonly HtmlForm[]): HtmlForm | undefined {
  return (
    forms.find((f) => f.name === 'login') ?? forms.find((f) => 'password' in f.fields && f.fields.username !== 'guest')
  );
}

/**
 * The login error the page shows: the `loginerrormessage` element (4.x: a link or an alert with the text; 5.2: an
 * alert with a bold title — "Unable to log in" — above the detail), else an `alert-danger`.
 */
export function loginErrorOf(html: string): string | undefined {
  const match =
    /<(\w+)\b[^>]*\bid="loginerrormessage"[^>]*>([\s\S]*?)<\/\1>/.exec(html) ??
    /<(\w+)\b[^>]*\bclass="[^"]*alert-danger[^"]*"[^>]*>([\s\S]*?)<\/\1>/.exec(html);
  const text = match ? visibleText(match[2]!.replace(/<\/strong>/gi, ': ')) : '';
  return text || undefined;
}
