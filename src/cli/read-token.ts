import { InsperaLtiError } from '../errors.js';
import { decodeJwt } from '../lti/decode.js';
import { readTextInput } from './read-input.js';

/** Read a token from a file or stdin and say precisely what is wrong with it when it is not one. */
export async function readToken(path: string): Promise<string> {
  if (/^eyJ[\w-]+\.[\w-]+/.test(path)) {
    throw new InsperaLtiError(
      'USAGE',
      '--token takes a file, not the token itself',
      'put the token in a file or pipe it with --token - (a token on the command line stays in your shell history)',
    );
  }
  const text = (await readTextInput(path, '--token', 256 * 1024)).trim();
  const where = path === '-' ? 'standard input' : path;
  if (text === '')
    throw new InsperaLtiError(
      'INVALID_VALUE',
      `--token ${where} is empty`,
      'paste the whole id_token (three base64url parts joined by dots)',
    );
  // The whole run from "eyJ" to a space, quote or the next form field: a fourth part or a character base64url does
  // not have is then said, not cut away.
  const token = /eyJ[^\s"'<>&]*/.exec(text)?.[0] ?? text.replace(/^(id_token|Bearer)[=:\s]+/i, '');
  const decoded = decodeJwt(token);
  if (!decoded.ok) {
    throw new InsperaLtiError(
      'INVALID_VALUE',
      `--token ${where}: not a JWT — it ${decoded.reason}`,
      'copy the whole id_token value from the launch (DevTools > Network > the POST to the tool > Payload)',
    );
  }
  return token;
}
