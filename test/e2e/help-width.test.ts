import { describe, expect, it } from 'vitest';
import { atTerminal } from '../helpers/terminal.js';

const COMMANDS = [
  '',
  'demo',
  'init',
  'record',
  'export',
  'validate',
  'simulate',
  'simulate launch',
  'simulate grade',
  'serve',
  'serve platform',
  'serve tool',
  'doctor',
  'roles',
  'fleet',
  'completion',
];

/** The description: the paragraphs between the Usage line and the first heading. */
function descriptionOf(screen: string): string[][] {
  const lines = screen.split('\n');
  const end = lines.findIndex((line, i) => i > 1 && /^\S[^ ]* ?[^ ]*:$/.test(line));
  const paragraphs: string[][] = [[]];
  for (const line of lines.slice(2, end)) {
    if (line === '') paragraphs.push([]);
    else paragraphs.at(-1)!.push(line);
  }
  return paragraphs.filter((p) => p.length);
}

/** Every paragraph of prose at the left margin (the description, and the notes after the options and examples). */
function proseOf(screen: string): string[][] {
  const paragraphs: string[][] = [[]];
  for (const line of screen.split('\n')) {
    if (line === '' || /^\s/.test(line) || /:$/.test(line)) paragraphs.push([]);
    else paragraphs.at(-1)!.push(line);
  }
  return paragraphs.filter((p) => p.length > 1);
}

describe('help at the width of the terminal (a pseudo-terminal)', () => {
  it.each(COMMANDS)('"%s --help" at 80 columns: no line longer, no sentence broken twice', async (command) => {
    const { screen, code } = await atTerminal(`${command} --help`, { columns: 80 });
    expect(code).toBe(0);
    expect(screen).toMatch(/^Usage: inspera-lti/);
    const long = screen.split('\n').filter((line) => [...line].length > 80);
    expect(long).toEqual([]);
    // Greedy wrapping: a line ends early only where the next word would not have fitted on it.
    for (const paragraph of descriptionOf(screen)) {
      paragraph.slice(0, -1).forEach((line, i) => {
        const next = paragraph[i + 1]!;
        const nextWord = next.trim().split(' ')[0]!;
        const indent = (text: string) => /^ */.exec(text)![0].length;
        if (indent(next) === 0 ? indent(line) === 0 : indent(line) > 0 && indent(next) > indent(line))
          expect([...line].length + 1 + [...nextWord].length, `"${line}" / "${next}"`).toBeGreaterThan(80);
      });
    }
    // The notes at the end too: a sentence hard-wrapped in the source would break early here.
    for (const paragraph of proseOf(screen))
      paragraph.slice(0, -1).forEach((line, i) => {
        const nextWord = paragraph[i + 1]!.split(' ')[0]!;
        expect([...line].length + 1 + [...nextWord].length, `"${line}" / "${paragraph[i + 1]}"`).toBeGreaterThan(80);
      });
  });

  it('follows a wider terminal, and a table keeps its column', async () => {
    const wide = (await atTerminal('demo --help', { columns: 160 })).screen;
    expect(wide).toContain('launch as an instructor and as a candidate, post a grade and read it back');
    const validate = (await atTerminal('validate --help', { columns: 80 })).screen;
    const row = validate.split('\n').findIndex((line) => line.startsWith('  Moodle:  discovery'));
    expect(validate.split('\n')[row + 1]).toMatch(/^ {11}\S/);
  });

  it('simulate launch groups its options under headings', async () => {
    const { screen } = await atTerminal('simulate launch --help', { columns: 80 });
    const headings = screen.split('\n').filter((line) => /^\S[^:]*:$/.test(line));
    expect(headings).toEqual([
      'The launch:',
      "Moodle's settings for the tool:",
      'A real Moodle or a real tool:',
      'Load:',
      'Output:',
      'Examples:',
    ]);
    expect(screen).toMatch(/Load:\n {2}--count <n>/);
  });

  it('an example too long for the line is continued with a backslash, its comment above it', async () => {
    const { screen } = await atTerminal('init --help', { columns: 80 });
    expect(screen).toMatch(/\n {2}\$ inspera-lti init [^\n]* \\\n {6}--/);
  });
});
