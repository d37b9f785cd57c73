import { Option, type Command } from 'commander';
import { allOptions, forceOption, paragraphs } from './options.js';
import type { ExportFlags } from '../run/export.js';

export function registerExport(program: Command): void {
  program
    .command('export')
    .summary('write the whole config as the hand-off sheet for Inspera support')
    .description(
      paragraphs(
        "Write the config as the hand-off sheet for Inspera support: Moodle's six Tool configuration details first, " +
          'under the labels Moodle uses, then the Inspera URLs, custom parameters and Moodle settings. The file is ' +
          'itself a valid config (--config exported.yaml works). Private keys are left out unless --include-secrets ' +
          'is given.',
        'A config that names no Inspera tenant (recorded, never init) is refused: run init --domain first.',
      ),
    )
    .addOption(
      new Option('--format <format>', "yaml or json (default: the --output file's extension, else yaml)").choices([
        'yaml',
        'json',
      ]),
    )
    .option('-o, --output <file>', 'write to a file instead of stdout (an existing different file needs --force)')
    .option('--include-secrets', 'include private keys (inline) — only for a secure channel, never for a ticket')
    .addOption(forceOption())
    .addOption(
      new Option(
        '--json',
        'print the result as one JSON document on stdout: the sheet itself (as --format json), or with --output ' +
          'where it was written',
      ),
    )
    .addHelpText(
      'after',
      `
Examples:
  $ inspera-lti export                                  # YAML on stdout
  $ inspera-lti export --output inspera-handoff.yaml
  $ inspera-lti export --json | jq '."Tool configuration details"'
  $ inspera-lti --config other.yaml export`,
    )
    .action(async (_options: unknown, command: Command) => {
      const { runExport } = await import('../run/export.js');
      process.exitCode = await runExport(allOptions<ExportFlags>(command));
    });
}
