import { reporterChoices } from '../../report/reporter-names.js';
import { Option, type Command } from 'commander';
import type { FleetFlags } from '../run/fleet.js';
import { allOptions, jsonOption } from './options.js';

export function registerFleet(program: Command): void {
  program
    .command('fleet')
    .summary('check many connections live at once: which broke overnight, and why')
    .description(
      'Run the validate checks of every connection — config files, folders of them, or a list file — a few at a time ' +
        'overall and per host, each request within --timeout, so a slow or hanging site holds up only its own ' +
        "connections. Then one view: each connection's verdict and first cause, worst first. With --since, what " +
        "broke, recovered or changed since that run's JSON (a new keyset kid, another Moodle version, a slower " +
        'answer).\n\nExit 1 when any connection fails, 2 for unusable input.',
    )
    .argument('[paths...]', 'config files, or folders holding them (each *.yaml, *.yml, *.json, .inspera-ltirc*)')
    .option('--list <file>', 'a file naming config files or folders, one a line ("#" comments)')
    .option('--concurrency <n>', 'connections checked at once', '16')
    .option('--per-host <n>', 'connections at once that talk to one Moodle or tenant', '4')
    .option('--timeout <ms>', 'per-request timeout', '10000')
    .option('--since <file>', "a previous run's --json output: say what broke, recovered or changed since")
    .option('--report-dir <dir>', "write the fleet page (index.html) and each connection's own report there")
    .option('--insecure', 'accept untrusted TLS certificates (test servers only)')
    .addOption(new Option('--reporter <reporter>', 'output format').choices(reporterChoices('html')).default('human'))
    .option('-o, --output <file>', 'write the --reporter output to a file')
    .addOption(jsonOption())
    .addHelpText(
      'after',
      `
Examples:
  $ inspera-lti fleet connections/                          # every config in the folder
  $ inspera-lti fleet --list customers.txt --json > today.json
  $ inspera-lti fleet --list customers.txt --since yesterday.json   # the morning question
  $ inspera-lti fleet connections/ --reporter junit --output fleet.xml --report-dir fleet-report/`,
    )
    .action(async (paths: string[], _o: unknown, command: Command) => {
      const { runFleetCommand } = await import('../run/fleet.js');
      process.exitCode = await runFleetCommand(paths, allOptions<FleetFlags>(command));
    });
}
