import { describe, expect, it } from 'vitest';
import { PORT, numberFlag } from '../../src/cli/number-flag.js';

describe('numberFlag', () => {
  it('gives the fallback when absent and the number when in range', () => {
    expect(numberFlag(undefined, '--leeway', 5)).toBe(5);
    expect(numberFlag('0.5', '--score', 0.8, { min: 0, max: 1 })).toBe(0.5);
    expect(numberFlag('8081', '--port', 0, PORT)).toBe(8081);
  });

  it.each([
    ['abc', {}, 'is not a number of at least 0'],
    ['', {}, 'is not a number'],
    ['2', { min: 0, max: 1 }, 'is not a number between 0 and 1'],
    ['80.5', PORT, 'is not a whole number between 0 and 65535'],
    ['99999', PORT, 'is not a whole number between 0 and 65535'],
  ])('rejects %j as bad input naming the flag', (value, range, words) => {
    expect(() => numberFlag(value, '--x', 1, range)).toThrow(`--x ${JSON.stringify(value)} ${words}`);
  });
});
