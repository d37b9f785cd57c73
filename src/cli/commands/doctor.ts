import { reporterChoices } from '../../report/reporter-names.js';
import { Option, type Command } from 'commander';
import { allOptions, insecureOption, jsonOption, paragraphs, quietOption, verboseOption } from './options.js';
import type { DoctorFlags } from '../run/doctor.js';

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .summary('diagnose LTI 1.3 launch problems from a config, a token, a browser capture or an error message')
    .description(
      paragraphs(
        'Turn whatever a ticket has into a diagnosis: what is wrong, why, and exactly what to change where.',
        'Inputs, in any combination: the config (always, when there is one), --live (the validate checks), --token ' +
          '(a pasted id_token or client assertion), --har (a browser capture of the launch), --error (a message ' +
          'someone saw), --symptom (what the ticket says happens, in its own words).',
        'Findings come most likely first, each with what was seen, the cause, the fix (system, screen, field, ' +
          'value) and its FAQ entry; then what passed and what could not be checked; then a verdict.',
        'Exit 0 when nothing checked failed (warnings are listed and do not fail, as with validate), 1 when a ' +
          'problem was found or nothing could be checked, 2 unusable input.',
      ),
    )
    .option('--token <file>', 'an id_token or client assertion in a file ("-" = stdin); never on the command line')
    .option('--har <file>', 'a browser capture (DevTools > Network > "Save all as HAR") of the failing launch')
    .option(
      '--error <text>',
      'an error message someone saw, e.g. "MISSING_VALIDATION_COOKIE", ' +
        '"Invalid request" or error=…&error_description=… ("-" = stdin)',
    )
    .option(
      '--symptom <text>',
      'what the ticket says happens, in its words, e.g. "marks do not come back to Moodle" or "blank page after ' +
        'the update" ("-" = stdin): its causes come first, and doctor says what would decide between them',
    )
    .option(
      '--keyset <file|url>',
      'the platform keyset to check token signatures with (default with --live: the recorded one)',
    )
    .option('--live', 'also run the live endpoint checks (inspera-lti validate)')
    .option('--moodle', "read the Inspera tool as Moodle stores it (an administrator's login) and audit every field")
    .option('--moodle-url <wwwroot>', 'with --moodle: the Moodle to read (default: the recorded Platform ID)')
    .option('--moodle-user <name>', 'with --moodle: the administrator account to log in with (default admin)')
    .option(
      '--password-file <file>',
      "with --moodle: a file holding that account's password (or MOODLE_PASSWORD; a terminal prompts)",
    )
    .addOption(insecureOption())
    .option('--tool-id <n>', "with --moodle: the tool to read (default: the tools on this tenant's domain)")
    .option('--cmid <n>', "with --moodle: also that activity's own settings (the id= of …/mod/lti/view.php?id=N)")
    .option(
      '--timeout <ms>',
      "per-request timeout: --live and a keyset URL (default 10000); Moodle's pages with --moodle (default 20000, " +
        'the whole reading at most 15 times as long)',
    )
    .option(
      '--report <file>',
      'write a redacted report for a support ticket: .html draws the launch (self-contained), else Markdown',
    )
    .option('--force', 'replace an existing report file')
    .option('--max-har-mb <n>', 'largest capture read', '25')
    .addOption(
      new Option(
        '--reporter <reporter>',
        'output format: human, json, junit (a test case per cause, the fix in its failure), markdown or html',
      )
        .choices(reporterChoices('markdown', 'html'))
        .default('human'),
    )
    .option('-o, --output <file>', 'write the --reporter output to a file')
    .addOption(jsonOption())
    .addOption(quietOption())
    .addOption(verboseOption())
    .addHelpText(
      'after',
      `
Examples:
  $ inspera-lti doctor                                         # the config: recorded values, Moodle settings
  $ inspera-lti doctor --har launch.har --report ticket.md
  $ MOODLE_PASSWORD=… inspera-lti doctor --moodle              # the tool as Moodle stores it, field by field
  $ inspera-lti doctor --har launch.har --report ticket.html     # the launch drawn hop by hop, failing hop in red
  $ pbpaste | inspera-lti doctor --token -                      # a pasted id_token
  $ inspera-lti doctor --error 'Cannot handle token with iat prior to 2025-01-01T10:00:00+0000'
  $ inspera-lti doctor --error 'error=unauthorized_client'       # what Moodle posted back to the tool
  $ pbpaste | inspera-lti doctor --error -                      # a pasted page or message
  $ inspera-lti doctor --live --symptom "candidates are not created in Inspera"
  $ pbpaste | inspera-lti doctor --symptom - --live             # a pasted ticket
  $ inspera-lti doctor --live --json
  $ inspera-lti doctor --live --reporter junit --output doctor.xml   # CI: a test case per cause, with its fix`,
    )
    .action(async (_o: unknown, command: Command) => {
      const { runDoctorCommand } = await import('../run/doctor.js');
      process.exitCode = await runDoctorCommand(allOptions<DoctorFlags>(command));
    });
  program
    .command('roles')
    .summary('explain what Inspera does with LTI roles or Inspera roles')
    .argument(
      '[roles...]',
      'LTI roles (URIs or Learner, Instructor, Administrator) or Inspera roles (Planner, Grader, ...)',
    )
    .option('--token <file>', 'take the roles from an id_token in a file ("-" = stdin)')
    .addOption(jsonOption())
    .addHelpText(
      'after',
      `
Examples:
  $ inspera-lti roles Learner Instructor
  $ inspera-lti roles http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor
  $ inspera-lti roles Planner Reporter             # which landing page wins
  $ inspera-lti roles --token id_token.txt`,
    )
    .action(async (roles: string[], _o: unknown, command: Command) => {
      const { runRoles } = await import('../run/roles.js');
      process.exitCode = await runRoles(
        roles,
        allOptions<{ token?: string; json?: boolean; color?: boolean }>(command),
      );
    });
}
