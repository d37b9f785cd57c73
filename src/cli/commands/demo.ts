import type { Command } from 'commander';
import { allOptions, jsonOption, paragraphs, moodleVersionOption } from './options.js';
import type { DemoFlags } from '../run/demo.js';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .summary('the end-to-end demo: embedded Moodle and Inspera, launches, a grade, failures diagnosed')
    .description(
      paragraphs(
        'Start the embedded Moodle-like platform and Inspera-like tool, launch as an instructor and as a candidate, ' +
          'post a grade and read it back from the gradebook, then reproduce three common failures and name their ' +
          'cause and fix.',
        'Nothing to configure; uses the sample tenant unless --config is given.',
      ),
    )
    .addOption(moodleVersionOption())
    .addOption(jsonOption())
    .addHelpText(
      'after',
      `
Examples:
  $ inspera-lti demo
  $ inspera-lti demo --json | jq .summary
  $ inspera-lti demo --moodle-version 5.1.5        # a Moodle after MDL-83526: the SameSite failure too
  $ inspera-lti --config inspera-lti.yaml demo       # exercise your own config

Exit codes: 0 every step behaved as expected, 1 something did not.`,
    )
    .action(async (_o: unknown, command: Command) => {
      const { runDemo } = await import('../run/demo.js');
      process.exitCode = await runDemo(allOptions<DemoFlags>(command));
    });
}
