import { Option, type Command } from 'commander';
import { allOptions, collect, jsonOption, moodleVersionOption } from './options.js';
import type { ServeFlags } from '../run/serve.js';

export function registerServe(program: Command): void {
  const serve = program
    .command('serve')
    .summary('run the embedded platform or tool as a long-lived server')
    .description(
      "Run the Moodle-like platform or the Inspera-like tool as a server for manual testing and other tools' CI. " +
        'Prints its URLs, logs each request on stderr, stops cleanly on Ctrl-C / SIGTERM.',
    )
    .addHelpText(
      'after',
      `
Examples:
  $ inspera-lti serve platform --port 8081
  $ inspera-lti serve tool --port 9000 --platform-id http://127.0.0.1:8081`,
    );
  serve
    .command('platform')
    .summary('a Moodle-like LTI 1.3 platform (mod_lti endpoints) on 127.0.0.1')
    .option('--port <port>', 'port to listen on (0 = any free port)', '0')
    .option(
      '--host <address>',
      'address to listen on (default 127.0.0.1; 0.0.0.0 exposes it to the network — test data only)',
    )
    .option('--issuer <url>', "the platform's wwwroot / issuer (default: http://127.0.0.1:<port>)")
    .option('--client-id <id>', 'Client ID of the registered tool (default: config or EhdzqulqmXxNDkw)')
    .option('--deployment-id <id>', 'Deployment ID (tool type id; default: config or 3)')
    .option('--tool-login-url <url>', "the registered tool's Initiate login URL")
    .option('--tool-redirect-url <url>', 'a registered Redirection URI; repeatable', collect)
    .option('--tool-url <url>', 'the registered Tool URL (target_link_uri; default: the first redirect URL)')
    .option('--tool-keyset-url <url>', "the registered tool's Public keyset URL (Public key type = Keyset URL)")
    .option(
      '--strip-authorization',
      'play a web server that does not pass the Authorization header to PHP: every grade and roster call then ' +
        "answers 401, and validate's probe says why",
    )
    .option(
      '--course-tool',
      "register the tool as a course tool of the site's course ABC101 (Moodle 4.3+: a teacher's, under the " +
        "course's LTI External tools), not a site tool",
    )
    .addOption(
      new Option('--launch-container <container>', 'how /mod/lti/view.php?id=12 opens the tool').choices([
        'embed',
        'embed-no-blocks',
        'existing-window',
        'new-window',
      ]),
    )
    .option(
      '--tool-public-key-file <pem>',
      'register the tool with Public key type = RSA key, from this PEM public key',
    )
    .addOption(moodleVersionOption())
    .addOption(jsonOption())
    .addHelpText(
      'after',
      `
Examples:
  $ inspera-lti serve platform --port 8081
  $ inspera-lti serve platform --port 8081 --tool-login-url http://127.0.0.1:9000/login \\
      --tool-redirect-url http://127.0.0.1:9000/launch --tool-keyset-url http://127.0.0.1:9000/jwks
  $ inspera-lti serve platform --json > platform.json &     # URLs as JSON for a CI script

` +
        "Log in as Moodle wants it (the login page's logintoken, then POST /login/index.php) as ada or alan " +
        '(learners), teacher or admin, with any non-empty password; then open /mod/lti/view.php?id=12. It plays ' +
        'Moodle 5.2.1 unless --moodle-version says otherwise; 4.5.6 and 5.2.1 are compared with real ones, exchange ' +
        'by exchange.\n\nGET /_inspera-lti/gradebook shows the scores it accepted (not a Moodle path).',
    )
    .action(async (_o: unknown, command: Command) => {
      const { runServePlatform } = await import('../run/serve-platform.js');
      process.exitCode = await runServePlatform(allOptions<ServeFlags>(command));
    });
  serve
    .command('tool')
    .summary('an Inspera-like LTI 1.3 tool (login-init, launch, keyset) on 127.0.0.1')
    .option('--port <port>', 'port to listen on (0 = any free port)', '0')
    .option(
      '--host <address>',
      'address to listen on (default 127.0.0.1; 0.0.0.0 exposes it to the network — test data only)',
    )
    .option('--platform-id <url>', "the registered platform's Platform ID (default: config)")
    .option('--client-id <id>', 'its Client ID (default: config)')
    .option('--deployment-id <id>', 'its Deployment ID (default: config)')
    .option('--auth-url <url>', 'its Authentication request URL (default: {Platform ID}/mod/lti/auth.php)')
    .option('--token-url <url>', 'its Access token URL (default: {Platform ID}/mod/lti/token.php)')
    .option('--keyset-url <url>', 'its Public keyset URL (default: {Platform ID}/mod/lti/certs.php)')
    .option('--leeway <seconds>', 'clock leeway for exp/iat', '5')
    .option(
      '--scenario <name>',
      "play a failure of the tool's side of a launch: tool-no-registration, tool-sends-repost, " +
        'tool-cookie-samesite-lax, wrong-client-id, … (simulate --list-scenarios; those that change Inspera)',
    )
    .option(
      '--state-cookie <attributes>',
      'the state cookie\'s attributes after its Path, e.g. "SameSite=Lax", "SameSite=None" (no Secure), "" (none) or ' +
        '"SameSite=None; Secure; Partitioned" (default "SameSite=None; Secure")',
    )
    .option(
      '--base-url <origin>',
      'the address the tool is reached at, e.g. http://localhost:9000 (default http://127.0.0.1:<port>)',
    )
    .addOption(jsonOption())
    .addHelpText(
      'after',
      `
Examples:
  $ inspera-lti serve tool --port 9000 --platform-id https://moodle.example.edu \\
      --client-id EhdzqulqmXxNDkw --deployment-id 3
  $ inspera-lti serve tool --json
  $ inspera-lti serve tool --scenario tool-no-registration     # Inspera without this Moodle: validate names it
  $ inspera-lti serve tool --state-cookie "SameSite=Lax"        # a state cookie Moodle's POST leaves behind

` +
        'Register the printed URLs in Moodle (Tool URL, Initiate login URL, Redirection URI(s), Public keyset); ' +
        'every launch is verified and logged with its verdict.',
    )
    .action(async (_o: unknown, command: Command) => {
      const { runServeTool } = await import('../run/serve-tool.js');
      process.exitCode = await runServeTool(allOptions<ServeFlags>(command));
    });
}
