import type { CompletionNode } from './tree.js';

const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

const words = (list: string[]) => list.join(' ');

/**
 * A bash function that completes subcommands, flags and flag values from a table written out here (no call back into
 * Node, so a Tab costs nothing); anything else falls back to file names.
 */
function bash(nodes: CompletionNode[], name: string): string {
  const fn = `_${name.replace(/[^A-Za-z0-9]/g, '_')}`;
  const subs = nodes.map((n) => `    "${n.path}") echo "${words(n.subcommands)}" ;;`).join('\n');
  const opts = nodes.map((n) => `    "${n.path}") echo "${words(n.options)}" ;;`).join('\n');
  const values = nodes
    .flatMap((n) => Object.entries(n.values).map(([flag, list]) => `    "${n.path}|${flag}") echo "${words(list)}" ;;`))
    .join('\n');
  return `# ${name} completion for bash (and zsh through bashcompinit). Install: see \`${name} completion --help\`.
${fn}_subcommands() {
  case "$1" in
${subs}
  esac
}
${fn}_options() {
  case "$1" in
${opts}
  esac
}
${fn}_values() {
  case "$1" in
${values}
  esac
}
${fn}() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" path="" i word
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    [[ "$word" == -* ]] && continue
    case " $(${fn}_subcommands "$path") " in
      *" $word "*) path="\${path:+$path }$word" ;;
    esac
  done
  local values
  values="$(${fn}_values "$path|$prev")"
  if [[ -n "$values" ]]; then
    COMPREPLY=($(compgen -W "$values" -- "$cur"))
  elif [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$(${fn}_options "$path")" -- "$cur"))
  else
    COMPREPLY=($(compgen -W "$(${fn}_subcommands "$path")" -- "$cur"))
  fi
}
complete -o default -F ${fn} ${name}
`;
}

function zsh(nodes: CompletionNode[], name: string): string {
  return `# ${name} completion for zsh, through zsh's bash completion support.
(( $+functions[compdef] )) || { autoload -U compinit && compinit; }
autoload -U +X bashcompinit && bashcompinit
${bash(nodes, name).split('\n').slice(1).join('\n')}`;
}

function fish(nodes: CompletionNode[], name: string): string {
  const quote = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const lines = [`# ${name} completion for fish.`, `complete -c ${name} -f`];
  for (const node of nodes) {
    const words = node.path ? node.path.split(' ') : [];
    // fish sees the words typed so far: this node applies when its own words are there and no subcommand of it is.
    const seen = words.map((w) => `__fish_seen_subcommand_from ${w}`);
    const noneOf = node.subcommands.length ? [`not __fish_seen_subcommand_from ${node.subcommands.join(' ')}`] : [];
    const condition = words.length === 0 ? '__fish_use_subcommand' : [...seen, ...noneOf].join('; and ');
    if (node.subcommands.length)
      lines.push(`complete -c ${name} -n ${quote(condition)} -a ${quote(node.subcommands.join(' '))}`);
    for (const option of node.options) {
      const list = node.values[option];
      const flag = `-l ${option.replace(/^--/, '')}`;
      lines.push(`complete -c ${name} -n ${quote(condition)} ${flag}${list ? ` -xa ${quote(list.join(' '))}` : ''}`);
    }
  }
  return lines.join('\n') + '\n';
}

export function completionScript(shell: Shell, nodes: CompletionNode[], name = 'inspera-lti'): string {
  return shell === 'bash' ? bash(nodes, name) : shell === 'zsh' ? zsh(nodes, name) : fish(nodes, name);
}
