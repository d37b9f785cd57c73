import { Argument, type Command } from 'commander';

export function registerCompletion(program: Command): void {
  program
    .command('completion')
    .summary('print a shell completion script (bash, zsh or fish)')
    .description('Print a script that completes commands, options, their choices and scenario names as you type.')
    .addArgument(new Argument('<shell>', 'the shell').choices(['bash', 'zsh', 'fish']))
    .addHelpText(
      'after',
      `
Examples:
  $ mkdir -p ~/.local/share/bash-completion/completions
  $ inspera-lti completion bash > ~/.local/share/bash-completion/completions/inspera-lti
  $ echo 'source <(inspera-lti completion zsh)' >> ~/.zshrc
  $ mkdir -p ~/.config/fish/completions
  $ inspera-lti completion fish > ~/.config/fish/completions/inspera-lti.fish

A new shell picks it up; the script holds the commands as this version knows them (re-run it after an upgrade).`,
    )
    .action(async (shell: 'bash' | 'zsh' | 'fish', _options: unknown, command: Command) => {
      const [{ completionTree }, { completionScript }, { SCENARIOS }] = await Promise.all([
        import('../completion/tree.js'),
        import('../completion/scripts.js'),
        import('../../sim/scenarios.js'),
      ]);
      const tree = completionTree(command.parent!, { '--scenario': SCENARIOS.map((s) => s.name) });
      process.stdout.write(completionScript(shell, tree));
    });
}
