import { reporterChoices } from '../../report/reporter-names.js';
import { Option, type Command } from 'commander';
import { AGS_LEVELS, LAUNCH_CONTAINERS, PRIVACY_OPTIONS } from '../../moodle/settings.js';
import { allOptions, collect, jsonOption, quietOption, verboseOption, moodleVersionOption } from './options.js';
import type { SimulateFlags } from '../run/simulate-flags.js';

function addSimulateOptions(command: Command): Command {
  return command
    .optionsGroup('The launch:')
    .addOption(new Option('--persona <persona>', 'who launches').choices(['learner', 'instructor', 'admin']))
    .option('--user <id|username>', 'the Moodle user who launches (ada, alan: learners; teacher; admin)')
    .option('--course <shortname>', 'course short name in the launch (default ABC101)')
    .option('--activity <name>', 'activity name in the launch (default "Exam 1")')
    .option('--custom <name=value>', 'an extra tool-level custom parameter; repeatable', collect)
    .option('--scenario <name>', 'run a failure scenario (see --list-scenarios)')
    .addOption(
      new Option(
        '--expect <outcome>',
        'with --scenario: exit 0 when it reproduced its failure, 1 when it did not (CI asserting a known failure)',
      ).choices(['reproduced']),
    )
    .option('--list-scenarios', 'list the failure scenarios and exit')
    .option(
      '--block-third-party-cookies',
      "browse like Safari or a private window: an embedded (iframe) launch loses the tool's cookies",
    )
    .option('--leeway <seconds>', "the tool's clock leeway for exp/iat", '5')
    .option('--timeout <ms>', 'per-request timeout', '10000')
    .optionsGroup("Moodle's settings for the tool:")
    .addOption(moodleVersionOption())
    .addOption(new Option('--ags <level>', 'Moodle AGS setting').choices(Object.keys(AGS_LEVELS)))
    .option('--nrps', 'Names and Role Provisioning on')
    .option('--no-nrps', 'Names and Role Provisioning off')
    .addOption(
      new Option('--share-name <choice>', "Share launcher's name with tool").choices(Object.keys(PRIVACY_OPTIONS)),
    )
    .addOption(
      new Option('--share-email <choice>', "Share launcher's email with tool").choices(Object.keys(PRIVACY_OPTIONS)),
    )
    .addOption(
      new Option('--accept-grades <choice>', 'Accept grades from the tool').choices(Object.keys(PRIVACY_OPTIONS)),
    )
    .addOption(
      new Option('--launch-container <container>', 'Default launch container').choices(Object.keys(LAUNCH_CONTAINERS)),
    )
    .option('--nrps-page-size <n>', 'the tool reads the course membership (candidate provisioning) n members a page')
    .optionsGroup('A real Moodle or a real tool:')
    .option(
      '--platform-url <wwwroot>',
      'act as the tool against a running platform (e.g. `inspera-lti serve platform`)',
    )
    .option('--username <name>', 'with --platform-url: the Moodle account that logs in and launches')
    .option(
      '--password-file <file>',
      "with --platform-url: a file holding that account's password (or set MOODLE_PASSWORD; a terminal prompts)",
    )
    .option('--users-file <file>', 'with --platform-url: accounts for load mode, one username:password a line')
    .option(
      '--client-id <id>',
      'with --platform-url: its Client ID (default: the recorded one, when recorded for that Moodle)',
    )
    .option(
      '--deployment-id <id>',
      'with --platform-url: its Deployment ID (default: the recorded one, when recorded for that Moodle)',
    )
    .option(
      '--cmid <id>',
      'with --platform-url: the activity to launch, the id= of its address …/mod/lti/view.php?id=N (default 12)',
    )
    .option(
      '--tool-port <port>',
      'with --platform-url: port for the embedded tool (register ' +
        'http://127.0.0.1:<port>/ltiprovider/... on the platform; ' +
        "default: the config's tenant when it is 127.0.0.1:<port>)",
    )
    .option(
      '--tool-base-url <origin>',
      'with --platform-url: the address the tool is registered at, e.g. ' +
        'http://localhost:9000 (default http://127.0.0.1:<tool port>)',
    )
    .option('--tool-login-url <url>', 'launch into a real tool: its Initiate login URL')
    .option('--tool-launch-url <url>', "a real tool's redirect/launch URL")
    .option('--tool-keyset-url <url>', "a real tool's keyset URL")
    .option(
      '--platform-port <port>',
      'with --tool-*-url: port for the embedded platform (its issuer is http://127.0.0.1:<port>)',
    )
    .optionsGroup('Load:')
    .option('--count <n>', 'load mode: run n launches and report throughput and latency')
    .option('--concurrency <c>', 'load mode: launches in flight at once', '10')
    .option(
      '--rate <launches/s>',
      'open model: start this many launches a second, on schedule, whether or not earlier ones finished',
    )
    .option('--duration <seconds>', 'open model: for this long (with --rate)')
    .option(
      '--yes-load-test',
      'allow load (--count, --rate) against a platform or tool other than 127.0.0.1: it is real load on a real system',
    )
    .optionsGroup('Output:')
    .addOption(new Option('--reporter <reporter>', 'output format').choices(reporterChoices()).default('human'))
    .option('-o, --output <file>', 'write the report to a file (junit, json) instead of stdout')
    .option(
      '--report <file.html>',
      'write a self-contained HTML report that draws the launch hop by hop (a CI artefact)',
    )
    .option(
      '--har <file>',
      'save the browser side of the launch as a HAR capture (for doctor, or to compare with a real one)',
    )
    .addOption(jsonOption())
    .addOption(quietOption())
    .addOption(verboseOption())
    .helpOption(true);
}

const EXAMPLES = (sub: string) => `
Examples:
  $ inspera-lti simulate ${sub}                                  # both sides embedded, from the config
  $ inspera-lti simulate ${sub} --persona instructor --json
  $ inspera-lti simulate ${sub} --scenario lost-state-cookie
  $ inspera-lti simulate ${sub} --scenario tool-sends-repost --moodle-version 4.5.6   # before MDL-83526
  $ inspera-lti simulate ${sub} --list-scenarios
  $ inspera-lti simulate ${sub} --scenario lost-state-cookie --expect reproduced   # exit 0 while it still fails
  $ inspera-lti simulate ${sub} --reporter junit --output launch.xml
  $ inspera-lti simulate ${sub} --scenario lost-state-cookie --report run.html
  $ inspera-lti simulate ${sub} --count 1000 --concurrency 10      # load mode
  $ inspera-lti simulate ${sub} --rate 20 --duration 60            # an exam's first minute: 20 launches a second
  $ inspera-lti simulate ${sub} --tool-login-url https://tool.example/init \\
      --tool-launch-url https://tool.example/launch --tool-keyset-url https://tool.example/jwks \\
      --platform-port 8081${sub === 'grade' ? ' --wait 30' : ''}
      # into a real tool${sub === 'grade' ? ', which posts its own score' : ' (its issuer: http://127.0.0.1:8081)'}
  $ inspera-lti simulate ${sub} --platform-url http://127.0.0.1:8081 --client-id EhdzqulqmXxNDkw --deployment-id 3
  $ MOODLE_PASSWORD=… inspera-lti simulate ${sub} --platform-url https://moodle.example.edu \\
      --client-id EhdzqulqmXxNDkw --deployment-id 3 --cmid 42 --username ada --tool-port 9000
      # a real Moodle, its tool registered at 127.0.0.1:9000
  $ MOODLE_PASSWORD=… inspera-lti simulate ${sub} --platform-url https://moodle.example.edu --cmid 42 --username ada
      # the same, with the six values recorded and the tenant set up as http://127.0.0.1:9000 (init --allow-insecure)

Exit codes: 0 the launch${sub === 'grade' ? ' and grade' : ''} worked, 1 it failed, 2 bad usage.`;

export function registerSimulate(program: Command): void {
  const simulate = program
    .command('simulate')
    .summary('run real RS256-signed LTI launches and AGS grade posts, headless')
    .description(
      'Run LTI 1.3 launches (the full OIDC third-party login) and AGS grade posts between an embedded Moodle-like ' +
        'platform and an Inspera-like tool, or against a real endpoint. No browser, no prompts.',
    )
    .addHelpText(
      'after',
      `
Examples:
  $ inspera-lti simulate launch
  $ inspera-lti simulate grade --json
  $ inspera-lti simulate launch --list-scenarios`,
    );
  const launch = simulate
    .command('launch')
    .summary('simulate a resource-link launch and print every step and check')
    .description(
      'Log in to the embedded Moodle, open the activity, follow the login initiation, auth.php and the id_token ' +
        'form post as a browser would, and print each step, the decoded id_token, every check the tool made, and a ' +
        'verdict.',
    );
  addSimulateOptions(launch)
    .addHelpText('after', EXAMPLES('launch'))
    .action(async (_o: unknown, command: Command) => {
      const { runSimulate } = await import('../run/simulate.js');
      process.exitCode = await runSimulate('launch', allOptions<SimulateFlags>(command));
    });
  const grade = simulate
    .command('grade')
    .summary('simulate AGS end to end: client assertion → token → score → read back')
    .description(
      'Launch as a learner, then act as the tool: sign a client assertion, ask token.php for a token (showing the ' +
        "scopes asked and granted), POST a score to the activity's line item, and read it back from the gradebook, " +
        "explaining Moodle's answers.",
    );
  addSimulateOptions(grade)
    .optionsGroup('Grading:')
    .option('--score <fraction>', 'the mark as a fraction of the maximum, 0..1', '0.8')
    .option(
      '--wait <seconds>',
      "with an external tool (--tool-*-url): keep the platform up this long for the tool's own token request and score",
    )
    .addHelpText('after', EXAMPLES('grade'))
    .action(async (_o: unknown, command: Command) => {
      const { runSimulate } = await import('../run/simulate.js');
      process.exitCode = await runSimulate('grade', allOptions<SimulateFlags>(command));
    });
}
