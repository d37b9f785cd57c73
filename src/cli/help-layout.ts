/**
 * Help text laid out for the terminal's width: prose wraps with a hanging indent (under the text of a "Label:  text"
 * row, so tables stay tables), and an example too long for the line gets its comment on the line above and its
 * command continued with a backslash, so it can still be pasted into a shell.
 */

/** The width commander wraps help to: the terminal's columns at a terminal, else 80. */
export function helpWidth(stream: NodeJS.WriteStream = process.stdout): number {
  return stream.isTTY && stream.columns ? stream.columns : 80;
}

const EXAMPLE = /^(\s*)\$ (.*?)(?:\s{2,}# (.*))?$/;
const COMMENT = /^(\s*)# (.*)$/;
const TABLE_ROW = /^(\s+\S[^:]{0,24}:\s+|\S[^:]{0,24}:\s{2,})\S/;

function wrapWords(text: string, first: string, rest: string, width: number): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = rest + word;
    } else line += (empty ? '' : ' ') + word;
    empty = false;
  }
  lines.push(line);
  return lines;
}

/** Shell words, quotes kept whole; an option's value stays with the option. */
function shellWords(command: string): string[] {
  const words = command.match(/(?:'[^']*'|"[^"]*"|\S)+/g) ?? [];
  const grouped: string[] = [];
  for (const word of words) {
    const previous = grouped.at(-1);
    if (previous?.startsWith('--') && !previous.includes(' ') && !/^[-|>]/.test(word))
      grouped[grouped.length - 1] = `${previous} ${word}`;
    else grouped.push(word);
  }
  return grouped;
}

/** A shell command broken between words (never inside quotes), each continued line ending in a backslash. */
function wrapCommand(command: string, indent: string, width: number): string[] {
  const words = shellWords(command);
  const lines: string[] = [];
  let line = `${indent}$ ${words.shift() ?? ''}`;
  for (const word of words) {
    if (line.length + 1 + word.length + 2 > width) {
      lines.push(`${line} \\`);
      line = `${indent}    ${word}`;
    } else line += ` ${word}`;
  }
  lines.push(line);
  return lines;
}

function layoutLine(line: string, width: number): string[] {
  if (line.length <= width) return [line];
  const example = EXAMPLE.exec(line);
  if (example) {
    const [, indent = '', command = '', comment] = example;
    const commandLines = wrapCommand(command, indent, width);
    if (comment === undefined) return commandLines;
    return [...wrapWords(comment, `${indent}# `, `${indent}# `, width), ...commandLines];
  }
  const comment = COMMENT.exec(line);
  if (comment) return wrapWords(comment[2]!, `${comment[1]}# `, `${comment[1]}# `, width);
  const row = TABLE_ROW.exec(line)?.[1];
  const lead = row && row.length < width / 2 ? row : (/^\s*/.exec(line)?.[0] ?? '');
  return wrapWords(line.slice(lead.length), lead, ' '.repeat(lead.length), width);
}

/** A command continued with backslashes in the source is one line again, to be broken where this width needs. */
function joinContinuations(lines: string[]): string[] {
  const joined: string[] = [];
  for (const line of lines) {
    const previous = joined.at(-1);
    if (previous?.endsWith(' \\')) joined[joined.length - 1] = `${previous.slice(0, -2)} ${line.trim()}`;
    else joined.push(line);
  }
  return joined;
}

/** Every line of the text fitted to the width; lines that fit are left as they are. */
export function layoutHelp(text: string, width: number): string {
  if (width < 40) return text;
  const lines = text.split('\n');
  if (lines.every((line) => line.length <= width)) return text;
  return joinContinuations(lines)
    .flatMap((line) => layoutLine(line, width))
    .join('\n');
}
