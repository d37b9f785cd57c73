import { Option, type Command } from 'commander';
import { LAUNCH_CONTAINERS } from '../../moodle/settings.js';
import {
  allOptions,
  collect,
  forceOption,
  idnOption,
  insecureOption,
  jsonOption,
  yesOption,
  paragraphs,
  verboseOption,
} from './options.js';
import type { InitFlags } from '../run/init.js';

export function registerInit(program: Command): void {
  program
    .command('init')
    .summary('print what to enter in Moodle for an Inspera tenant, and save the config')
    .description(
      paragraphs(
        'Print, in the order and with the labels of Moodle\'s "Configure a tool manually" form, every value Moodle ' +
          'needs for an Inspera Assessment tenant (Tool URL, Public keyset, Initiate login URL, Redirection URI(s), ' +
          'custom parameters, services, privacy), and save them as the inspera-lti config.',
        'Run without --domain in a terminal, it asks for each value; given the tenant (--domain, ' +
          'INSPERA_LTI_DOMAIN or the config), it asks nothing more: the other values take their recommended ' +
          'settings, and the checklist shows them all. Never prompts with --yes, --json, CI set, or no terminal.',
      ),
    )
    .option('-d, --domain <tenant>', 'Inspera tenant host, e.g. university.inspera.com (env INSPERA_LTI_DOMAIN)')
    .option(
      '-m, --moodle-url <url>',
      'Moodle site address; pre-fills the Platform ID and Moodle endpoint URLs (env INSPERA_LTI_MOODLE_URL)',
    )
    .option('--name <text>', 'Moodle "Tool name"', undefined)
    .option(
      '--custom <name=value>',
      'a tool-level custom parameter; repeat for more (replaces the recommended set)',
      collect,
    )
    .addOption(
      new Option('--launch-container <container>', 'Moodle "Default launch container"').choices(
        Object.keys(LAUNCH_CONTAINERS),
      ),
    )
    .addOption(insecureOption())
    .addOption(idnOption())
    .addOption(yesOption())
    .option('--dry-run', 'print only; do not save the config (with --apply: show the changes, write nothing)')
    .option(
      '--apply',
      'also set the Inspera tool up in Moodle itself (an administrator login): create it, or update the one on this ' +
        "tenant's domain after showing the changes, then record the six values",
    )
    .option('--moodle-user <name>', 'with --apply: the administrator account (default admin)')
    .option(
      '--timeout <ms>',
      "with --apply: the time each of Moodle's pages may take (default 20000; the whole apply at most 15 times as " +
        'long)',
    )
    .option(
      '--password-file <file>',
      "with --apply: a file holding that account's password (or MOODLE_PASSWORD; a terminal prompts)",
    )
    .addOption(forceOption())
    .addOption(jsonOption())
    .addOption(verboseOption())
    .addHelpText(
      'after',
      `
Examples:
  $ inspera-lti init --domain university.inspera.com
  $ inspera-lti init --domain https://University.Inspera.com/ --moodle-url https://moodle.example.edu --yes
  $ inspera-lti init --domain uni.inspera.com --custom enroll_candidates=true --custom skip_incomplete_members=true
  $ inspera-lti init --domain uni.inspera.com --launch-container embed --json --dry-run
  $ MOODLE_PASSWORD=… inspera-lti init --domain uni.inspera.com --moodle-url https://moodle.example.edu --apply

` +
        'Without --custom the recommended parameters are used: enroll_candidates=true, skip_incomplete_members=true, ' +
        'use_template_on_create=true. The config is saved to --config, the config found in this directory, or ' +
        './inspera-lti.yaml; an existing different file is only replaced with --force (a .bak copy is kept).',
    )
    .action(async (_options: unknown, command: Command) => {
      const { runInit } = await import('../run/init.js');
      process.exitCode = await runInit(allOptions<InitFlags>(command));
    });
}
