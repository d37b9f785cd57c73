import { InsperaLtiError } from '../../errors.js';
import type { ReporterName } from '../../report/reporters.js';

export interface DoctorFlags {
  token?: string;
  har?: string;
  error?: string;
  symptom?: string;
  keyset?: string;
  live?: boolean;
  timeout?: string;
  report?: string;
  maxHarMb?: string;
  force?: boolean;
  json?: boolean;
  reporter?: ReporterName;
  output?: string;
  config?: string;
  color?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  moodle?: boolean;
  moodleUrl?: string;
  moodleUser?: string;
  passwordFile?: string;
  toolId?: string;
  cmid?: string;
  allowInsecure?: boolean;
}

/** Inputs doctor cannot use, refused before anything is read: Moodle flags without --moodle, nothing, stdin twice. */
export function refuseUnusableInputs(flags: DoctorFlags, hasConfig: boolean): void {
  const moodleFlag = [
    flags.moodleUrl && '--moodle-url',
    flags.moodleUser && '--moodle-user',
    flags.toolId && '--tool-id',
    flags.passwordFile && '--password-file',
    flags.cmid && '--cmid',
  ].find(Boolean);
  if (moodleFlag && !flags.moodle)
    throw new InsperaLtiError(
      'USAGE',
      `${moodleFlag} is for reading the tool in Moodle`,
      'add --moodle (or drop the flag)',
    );
  if (
    !hasConfig &&
    !flags.token &&
    !flags.har &&
    flags.error === undefined &&
    flags.symptom === undefined &&
    !flags.live &&
    !flags.moodle
  ) {
    throw new InsperaLtiError(
      'MISSING_FLAG',
      'nothing to diagnose: no config here and no --token, --har, --error or --symptom',
      'give what the ticket has, e.g. --har launch.har, --token id_token.txt or --error "the message"',
    );
  }
  const fromStdin = (['--error', '--token', '--symptom'] as const).filter(
    (name) => flags[name.slice(2) as 'error' | 'token' | 'symptom'] === '-',
  );
  if (fromStdin.length > 1) {
    throw new InsperaLtiError(
      'USAGE',
      `${fromStdin.map((f) => `${f} -`).join(' and ')} all read standard input`,
      'put all but one of them in a file',
    );
  }
}
