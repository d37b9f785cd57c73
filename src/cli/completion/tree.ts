import type { Command } from 'commander';

/** One command of the CLI as completion needs it: its words, its subcommands, its flags and their known values. */
export interface CompletionNode {
  /** The subcommand words after the program name ("" for the program itself, "simulate launch"). */
  path: string;
  subcommands: string[];
  options: string[];
  /** Values a flag takes, by flag: its choices, or names the CLI knows (scenarios). */
  values: Record<string, string[]>;
}

/** Walk commander's tree (options are declared eagerly, actions load lazily) into completion's plain data. */
export function completionTree(program: Command, extraValues: Record<string, string[]> = {}): CompletionNode[] {
  const nodes: CompletionNode[] = [];
  // The program's own options (--config, --no-color) are read after any subcommand too.
  const global = program.options.map((o) => o.long).filter((l): l is string => Boolean(l));
  const visit = (command: Command, path: string): void => {
    // A first argument with choices (completion's shell) completes as the next word, as a subcommand would.
    const argumentChoices = command.registeredArguments[0]?.argChoices ?? [];
    const subcommands = [
      ...command.commands.map((c) => c.name()).filter((name) => name !== 'help'),
      ...argumentChoices,
    ];
    const own = command.options.map((o) => o.long).filter((l): l is string => Boolean(l));
    const options = [...own, ...global, '--help'];
    const values: Record<string, string[]> = {};
    for (const option of command.options) {
      if (!option.long) continue;
      if (option.argChoices?.length) values[option.long] = [...option.argChoices];
      else if (extraValues[option.long] && option.required) values[option.long] = extraValues[option.long]!;
    }
    nodes.push({ path, subcommands, options: [...new Set(options)], values });
    for (const sub of command.commands)
      if (sub.name() !== 'help') visit(sub, path ? `${path} ${sub.name()}` : sub.name());
  };
  visit(program, '');
  return nodes;
}
