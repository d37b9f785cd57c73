import { describe, expect, it } from 'vitest';
import { layoutHelp } from '../../src/cli/help-layout.js';

describe('layoutHelp', () => {
  it('leaves text that fits as it is', () => {
    expect(layoutHelp('Examples:\n  $ inspera-lti demo   # short', 80)).toBe(
      'Examples:\n  $ inspera-lti demo   # short',
    );
  });

  it('breaks a command between words, never inside quotes, and keeps an option with its value', () => {
    const text =
      "  $ inspera-lti doctor --error 'Cannot handle token with iat prior to 2025-01-01T10:00:00+0000' " + '--json';
    expect(layoutHelp(text, 60).split('\n')).toEqual([
      '  $ inspera-lti doctor \\',
      "      --error 'Cannot handle token with iat prior to 2025-01-01T10:00:00+0000' \\",
      '      --json',
    ]);
  });

  it('joins a command continued in the source before breaking it again where this width needs', () => {
    const text =
      '  $ inspera-lti record --platform-id https://moodle.example.edu \\\n      --client-id X --deployment-id 3';
    expect(layoutHelp(text, 70).split('\n')).toEqual([
      '  $ inspera-lti record --platform-id https://moodle.example.edu \\',
      '      --client-id X --deployment-id 3',
    ]);
    expect(layoutHelp(`${text} --json --force --yes`, 60).split('\n')).toEqual([
      '  $ inspera-lti record \\',
      '      --platform-id https://moodle.example.edu \\',
      '      --client-id X --deployment-id 3 --json --force --yes',
    ]);
  });

  it('wraps prose with a hanging indent under a table row and comments as comments', () => {
    expect(layoutHelp('  Inspera: one two three four five six seven eight nine ten', 40).split('\n')).toEqual([
      '  Inspera: one two three four five six',
      '           seven eight nine ten',
    ]);
    expect(
      layoutHelp('  $ inspera-lti demo  # embedded Moodle and Inspera, a grade, failures', 40).split('\n'),
    ).toEqual(['  # embedded Moodle and Inspera, a', '  # grade, failures', '  $ inspera-lti demo']);
  });
});
