import type { Command } from 'commander';
import {
  allOptions,
  forceOption,
  idnOption,
  insecureOption,
  jsonOption,
  yesOption,
  paragraphs,
  quietOption,
  verboseOption,
} from './options.js';
import type { RecordFlags } from '../run/record.js';

export function registerRecord(program: Command): void {
  program
    .command('record')
    .summary('record the six Tool configuration details Moodle shows after the tool is saved')
    .description(
      paragraphs(
        'Record Moodle\'s six "Tool configuration details" — Platform ID, Client ID, Deployment ID, Public keyset ' +
          'URL, Access token URL, Authentication request URL — into the config, checking each for the mistakes ' +
          'that break LTI authentication (trailing slash, http, whitespace, swapped fields, wrong host or path).',
        "Values come from flags, from the text copied out of Moodle's dialog or its Email button (stdin or " +
          '--from-file), or from prompts in a terminal. The three URLs default to the ones Moodle derives from the ' +
          'Platform ID. Errors exit 2 and save nothing; warnings are shown and the values saved.',
      ),
    )
    .option('--platform-id <url>', 'Platform ID (the Moodle site address; env INSPERA_LTI_PLATFORM_ID)')
    .option('--client-id <id>', 'Client ID (15 letters and digits; env INSPERA_LTI_CLIENT_ID)')
    .option('--deployment-id <id>', 'Deployment ID (a number; env INSPERA_LTI_DEPLOYMENT_ID)')
    .option('--keyset-url <url>', 'Public keyset URL (default: {Platform ID}/mod/lti/certs.php)')
    .option('--token-url <url>', 'Access token URL (default: {Platform ID}/mod/lti/token.php)')
    .option('--auth-url <url>', 'Authentication request URL (default: {Platform ID}/mod/lti/auth.php)')
    .option('-f, --from-file <path>', 'read the copied dialog or e-mail text from a file ("-" for stdin)')
    .option(
      '--from-moodle',
      "read the six values from Moodle itself, as its dialog shows them (an administrator's login; no copy-paste)",
    )
    .option('--moodle-url <wwwroot>', 'with --from-moodle: the Moodle to read (default: the recorded Platform ID)')
    .option('--moodle-user <name>', 'with --from-moodle: the administrator account (default admin)')
    .option(
      '--password-file <file>',
      "with --from-moodle: a file holding that account's password (or MOODLE_PASSWORD; a terminal prompts)",
    )
    .option('--tool-id <n>', "with --from-moodle: the tool to read (default: the one on this tenant's domain)")
    .option(
      '--timeout <ms>',
      "with --from-moodle: the time each of Moodle's pages may take (default 20000; the whole reading at most 15 " +
        'times as long)',
    )
    .addOption(insecureOption())
    .addOption(idnOption())
    .addOption(yesOption())
    .option('--dry-run', 'check and print only; do not save')
    .option('--fix', 'apply the corrections of copy damage (spaces around a value, a trailing slash) without asking')
    .addOption(forceOption())
    .addOption(jsonOption())
    .addOption(quietOption())
    .addOption(verboseOption())
    .addHelpText(
      'after',
      `
Examples:
  $ inspera-lti record --platform-id https://moodle.example.edu --client-id EhdzqulqmXxNDkw --deployment-id 3
  $ pbpaste | inspera-lti record                  # macOS: the dialog's text from the clipboard
  $ inspera-lti record --from-file details.txt --json
  $ MOODLE_PASSWORD=… inspera-lti record --from-moodle --moodle-url https://moodle.example.edu --dry-run
  $ inspera-lti record                            # in a terminal: paste the dialog, or one prompt per value
  $ inspera-lti record --verbose < details.txt    # says where each value was found

Text accepted, in any interface language (any order, blank lines, tabs and Windows line ends are fine):
  Platform ID: https://moodle.example.edu
  Client ID: EhdzqulqmXxNDkw
  Deployment ID: 3
  Public keyset URL: https://moodle.example.edu/mod/lti/certs.php
  Access token URL: https://moodle.example.edu/mod/lti/token.php
  Authentication request URL: https://moodle.example.edu/mod/lti/auth.php

` +
        "Labels other than Moodle's English ones are not needed: the URLs are told apart by their path, the other " +
        "values by their shape and the dialog's order (Client ID, then the Deployment ID, a number).",
    )
    .action(async (_options: unknown, command: Command) => {
      const { runRecord } = await import('../run/record.js');
      process.exitCode = await runRecord(allOptions<RecordFlags>(command));
    });
}
