import { closest } from '../util/suggest.js';

/**
 * The parser's error line in the CLI's own style: "inspera-lti: …" like every other error (commander writes
 * "error: …"), and a value that is a near miss of one of an option's choices gets the same "Did you mean" an option
 * name gets.
 */
export function usageErrorLine(text: string): string {
  let line = text.replace(/^error: /, 'inspera-lti: ');
  const choice = /argument '([^']*)' is invalid\. Allowed choices are (.+)\.\s*$/.exec(line);
  if (choice) {
    const near = closest(choice[1]!, choice[2]!.split(', '));
    if (near) line = `${line.trimEnd()} (Did you mean ${near}?)\n`;
  }
  return line;
}
