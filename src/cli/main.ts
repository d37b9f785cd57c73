import { Command, CommanderError } from 'commander';
import { InsperaLtiError, exitCodeFor, isInsperaLtiError } from '../errors.js';
import { registerExport } from './commands/export.js';
import { registerInit } from './commands/init.js';
import { registerRecord } from './commands/record.js';
import { registerSimulate } from './commands/simulate.js';
import { registerServe } from './commands/serve.js';
import { registerDemo } from './commands/demo.js';
import { registerValidate } from './commands/validate.js';
import { registerDoctor } from './commands/doctor.js';
import { registerFleet } from './commands/fleet.js';
import { registerCompletion } from './commands/completion.js';
import { packageVersion } from '../version.js';
import { helpWidth, layoutHelp } from './help-layout.js';
import { isPromptExit, reportError } from './report-error.js';
import { usageErrorLine } from './usage-error.js';

function buildProgram(): Command {
  const program = new Command('inspera-lti')
    .description(
      'Set up, prove and debug the LTI 1.3 connection between Moodle (platform) and Inspera Assessment (tool).',
    )
    .option(
      '-c, --config <path>',
      'config file to use (default: inspera-lti.yaml or .inspera-ltirc* in this directory; env INSPERA_LTI_CONFIG)',
    )
    .option('--no-color', 'no colour in the output (also NO_COLOR=1 or TERM=dumb)')
    .option('--debug', 'show stack traces for internal errors')
    .version(packageVersion(), '-V, --version', 'print the version')
    .showSuggestionAfterError(true)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureHelp({ boxWrap: (text: string, width: number) => layoutHelp(text, width) })
    .configureOutput({
      writeOut: (text: string) => process.stdout.write(layoutHelp(text, helpWidth())),
      outputError: (text: string, write: (text: string) => void) => write(usageErrorLine(text)),
    })
    .addHelpText(
      'after',
      `
Exit codes: 0 ok, 1 a check failed, 2 bad usage or input, 130 interrupted, 70 internal error.

Examples:
  $ inspera-lti demo                        # embedded Moodle + Inspera: launches, a grade, failures diagnosed
  $ inspera-lti init --domain university.inspera.com --moodle-url https://moodle.example.edu
  $ pbpaste | inspera-lti record            # the six Tool configuration details copied from Moodle
  $ inspera-lti export --output inspera-handoff.yaml
  $ inspera-lti validate                    # live checks of every recorded URL
  $ inspera-lti simulate launch --scenario lost-state-cookie
  $ inspera-lti doctor --har launch.har --report ticket.md

Run "inspera-lti <command> --help" for a command's options and examples.`,
    );
  registerDemo(program);
  registerInit(program);
  registerRecord(program);
  registerExport(program);
  registerValidate(program);
  registerSimulate(program);
  registerServe(program);
  registerDoctor(program);
  registerFleet(program);
  registerCompletion(program);
  return program;
}

/** `inspera-lti … | head`: the reader left, so stop quietly instead of crashing on EPIPE. */
function quietOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
}

/** Run the CLI with argv; resolves to the process exit code. Never throws. */
export async function main(argv: string[]): Promise<number> {
  quietOnClosedPipe();
  // The prompts (inquirer) style their own text and read NO_COLOR: --no-color reaches them this way.
  if (argv.includes('--no-color')) process.env.NO_COLOR = '1';
  try {
    await buildProgram().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    const wantsJson = argv.includes('--json') || argv.some((a, i) => a === '--format' && argv[i + 1] === 'json');
    if (error instanceof CommanderError) {
      // --help and --version exit 0; help shown because no command was given is bad usage (exit 2).
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
      if (error.exitCode === 0) return 0;
      // The parser said why on stderr; a --json caller still gets its one document.
      if (wantsJson)
        process.stdout.write(
          JSON.stringify(
            {
              ok: false,
              error: {
                code: 'USAGE',
                message: usageErrorLine(error.message)
                  .replace(/^inspera-lti: /, '')
                  .trimEnd(),
                hint: 'see --help',
              },
            },
            null,
            2,
          ) + '\n',
        );
      return 2;
    }
    const debug = argv.includes('--debug');
    reportError(error, { json: wantsJson, debug });
    return isPromptExit(error) ? 130 : exitCodeFor(error);
  }
}

export { InsperaLtiError, isInsperaLtiError };
