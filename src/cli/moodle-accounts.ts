import { stat } from 'node:fs/promises';
import { InsperaLtiError } from '../errors.js';
import type { Account } from '../sim/simulate.js';
import { isCi } from './output.js';
import { readTextInput } from './read-input.js';

export interface AccountFlags {
  platformUrl?: string;
  username?: string;
  user?: string;
  passwordFile?: string;
  usersFile?: string;
  json?: boolean;
}

const PASSWORD_HELP =
  'give it in a file (--password-file <file>, mode 0600), the ' +
  'MOODLE_PASSWORD environment variable, or at the prompt (a ' +
  'terminal only)';

/** `username:password` a line; blank lines and # comments skipped. A bad line is named by number, never echoed. */
function parseUsersFile(text: string, flag = '--users-file'): Account[] {
  const accounts: Account[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (!line.trim() || line.trimStart().startsWith('#')) return;
    const colon = line.indexOf(':');
    const username = colon > 0 ? line.slice(0, colon).trim() : '';
    const password = colon > 0 ? line.slice(colon + 1) : '';
    if (!username || !password) {
      throw new InsperaLtiError(
        'INVALID_VALUE',
        `${flag} line ${index + 1} is not "username:password"`,
        'one Moodle account a line: username, a colon, the password',
      );
    }
    accounts.push({ username, password });
  });
  if (!accounts.length)
    throw new InsperaLtiError(
      'INVALID_VALUE',
      `${flag} holds no account`,
      'one Moodle account a line: username:password',
    );
  return accounts;
}

/**
 * The real Moodle accounts a `--platform-url` run logs in with: `--users-file`, or `--username` with its password from
 * `--password-file`, `MOODLE_PASSWORD` or a prompt. Never a built-in password, never a flag value. Against the embedded
 * platform none are needed, and the flags are refused rather than ignored.
 */
export async function moodleAccounts(
  flags: AccountFlags,
  env: NodeJS.ProcessEnv = process.env,
  warn: (line: string) => void = (line) => process.stderr.write(`! ${line}\n`),
): Promise<Account[] | undefined> {
  if (!flags.platformUrl) {
    const given = flags.passwordFile ? '--password-file' : flags.usersFile ? '--users-file' : undefined;
    if (given)
      throw new InsperaLtiError(
        'USAGE',
        `${given} is for a real Moodle (--platform-url); the embedded platform plays its own users`,
        'add --platform-url <wwwroot>, or drop the flag',
      );
    return undefined;
  }
  if (flags.usersFile) {
    if (flags.passwordFile)
      throw new InsperaLtiError(
        'USAGE',
        '--users-file and --password-file both give passwords',
        'use one: --users-file for many accounts, --password-file for --username',
      );
    return parseUsersFile(await readTextInput(flags.usersFile, '--users-file', 1024 * 1024));
  }
  const username = flags.username ?? flags.user;
  if (!username) {
    throw new InsperaLtiError(
      'MISSING_FLAG',
      '--platform-url needs the Moodle account to log in with',
      'add --username <name> (an account enrolled in the course), or --users-file <file> for load mode',
    );
  }
  let password: string | undefined;
  if (flags.passwordFile) {
    const mode = await stat(flags.passwordFile).then(
      (s) => s.mode,
      () => undefined,
    );
    if (mode !== undefined && (mode & 0o077) !== 0)
      warn(
        `--password-file ${flags.passwordFile} can be read by other accounts on this machine ` +
          `(mode ${(mode & 0o777).toString(8)}): chmod 600 it`,
      );
    password = (await readTextInput(flags.passwordFile, '--password-file', 64 * 1024)).replace(/\r?\n$/, '');
    if (!password)
      throw new InsperaLtiError(
        'INVALID_VALUE',
        `--password-file ${flags.passwordFile} is empty`,
        `put the password of ${username} in it`,
      );
  } else if (env.MOODLE_PASSWORD) {
    password = env.MOODLE_PASSWORD;
  } else if (process.stdin.isTTY === true && !isCi(env) && !flags.json) {
    const { password: ask } = await import('@inquirer/prompts');
    password = await ask({
      message: `Moodle password for ${username}`,
      mask: true,
      validate: (v) => (v ? true : 'the password is needed to log in'),
    });
  } else {
    throw new InsperaLtiError('MISSING_FLAG', `no password for the Moodle account ${username}`, PASSWORD_HELP);
  }
  return [{ username, password }];
}
