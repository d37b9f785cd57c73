import { reporterChoices } from '../../report/reporter-names.js';
import { Option, type Command } from 'commander';
import { allOptions, idnOption, insecureOption, jsonOption, quietOption, verboseOption } from './options.js';
import type { ValidateFlags } from '../run/validate.js';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .summary('check from outside that every recorded Moodle and Inspera URL answers the way it must')
    .description(`Live checks of both sides, each independent and run concurrently:
  Moodle:  discovery (issuer byte for byte, endpoints), keyset (certs.php), token.php knows the Client ID, \
auth.php answers like Moodle's, clock skew
  Inspera: https on the tenant, keyset (key-url), login initiation and launch URLs answer, clock skew
  Config:  the six recorded values agree with each other

Honours HTTP(S)_PROXY / NO_PROXY. Exit 1 when a check fails (warnings do not fail).`)
    .addOption(new Option('--only <side>', 'check one side only').choices(['platform', 'tool']))
    .option('--timeout <ms>', 'per-check timeout', '10000')
    .option('--insecure', 'accept untrusted TLS certificates (test servers only; flagged in the output)')
    .option('--platform-id <url>', 'check this Moodle instead of the recorded one (one-off)')
    .option('--client-id <id>', 'check this Client ID instead of the recorded one')
    .option('--deployment-id <id>', 'the Deployment ID (not checkable from outside; recorded for the report)')
    .option('--domain <tenant>', 'check this Inspera tenant instead of the configured one')
    .addOption(insecureOption())
    .addOption(idnOption())
    .addOption(new Option('--reporter <reporter>', 'output format').choices(reporterChoices()).default('human'))
    .option('-o, --output <file>', 'write the report to a file')
    .addOption(jsonOption())
    .addOption(quietOption())
    .addOption(verboseOption())
    .addHelpText(
      'after',
      `
Examples:
  $ inspera-lti validate
  $ inspera-lti validate --only platform --timeout 5000
  $ inspera-lti validate --quiet                       # only the verdict and what failed
  $ inspera-lti validate --verbose 2> requests.log     # every request and answer, redacted
  $ inspera-lti validate --platform-id https://moodle.example.edu --client-id EhdzqulqmXxNDkw --domain uni.inspera.com
  $ inspera-lti validate --json | jq '.results[] | select(.status == "fail")'
  $ HTTPS_PROXY=http://proxy.uni.edu:3128 inspera-lti validate`,
    )
    .action(async (_o: unknown, command: Command) => {
      const { runValidate } = await import('../run/validate.js');
      process.exitCode = await runValidate(allOptions<ValidateFlags>(command));
    });
}
