import { normaliseKey, splitMoodleParameters } from '../custom-parameters.js';

/** A value an administrator added that init does not prescribe: kept where it is, and said. */
export interface KeptValue {
  label: string;
  value: string;
}

const linesOf = (text: string) =>
  text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .filter((l) => l.trim() !== '');

/** A line that is a prescribed one mistyped: another case, a trailing slash, spaces around it. */
const sameUri = (a: string, b: string) =>
  a.trim().replace(/\/+$/, '').toLowerCase() === b.trim().replace(/\/+$/, '').toLowerCase();

/**
 * The Redirection URI(s) field with the prescribed lines in it: a mistyped copy of one is replaced where it stands,
 * a missing one added at the end, and every other line kept (another launch may need it). `kept` lists those.
 */
export function mergedRedirectUris(held: string, prescribed: string): { text: string; kept: string[] } {
  const want = linesOf(prescribed);
  const kept: string[] = [];
  const out: string[] = [];
  for (const line of linesOf(held)) {
    const meant = want.find((w) => sameUri(line, w));
    if (meant === undefined) kept.push(line);
    const next = meant ?? line;
    if (!out.includes(next)) out.push(next);
  }
  for (const w of want) if (!out.includes(w)) out.push(w);
  return { text: out.join('\n'), kept };
}

/** The Custom parameters field with the prescribed lines first and the administrator's own lines after them. */
export function mergedCustomParameters(held: string, prescribed: string): { text: string; kept: string[] } {
  const names = new Set(splitMoodleParameters(prescribed).map(([n]) => normaliseKey(n)));
  const kept = linesOf(held)
    .filter((line) => {
      const [pair] = splitMoodleParameters(line);
      return pair !== undefined && !names.has(normaliseKey(pair[0]));
    })
    .map((line) => line.trim());
  return { text: [...linesOf(prescribed), ...kept].join('\n'), kept };
}
