/**
 * Internationalised host names, judged as a browser's IDN display policy would (UTS #39's mixed-script rule, in
 * short): plain-letter hosts pass; a host with letters from another script is refused unless the person says it is a
 * genuine internationalised domain; Latin mixed with Cyrillic or Greek, and emoji, are refused even then.
 */

/**
 * Letters of other scripts that look like Latin ones (Unicode's confusables.txt, the ones seen in homograph attacks).
 */
const LOOKALIKES: Readonly<Record<string, string>> = {
  // Cyrillic
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  һ: 'h',
  і: 'i',
  ї: 'i',
  ј: 'j',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  ѕ: 's',
  т: 't',
  у: 'y',
  х: 'x',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  ɡ: 'g',
  ӏ: 'l',
  // Greek
  α: 'a',
  β: 'b',
  ε: 'e',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ω: 'w',
  // Latin letters that pass for plain ones
  ı: 'i',
  ȷ: 'j',
  ł: 'l',
  ſ: 's',
  ß: 'ss',
  ɑ: 'a',
  ʏ: 'y',
  // Armenian and Cherokee
  օ: 'o',
  ս: 'u',
  ց: 'g',
  Ꭺ: 'A',
  Ꭼ: 'E',
  Ꮃ: 'W',
};

export const IDN_HINT =
  'type the host in plain letters (a–z, 0–9, "-"), copied from the ' +
  'address bar of the real site; a genuine internationalised domain ' +
  'is allowed with --allow-idn';

export interface HostLetters {
  /** Characters outside ASCII, each with its code point, script and the plain letter it passes for (if any). */
  foreign: Array<{ char: string; codePoint: string; script: string; looksLike?: string }>;
  /** Labels that mix Latin with Cyrillic or Greek: never a genuine name. */
  mixedLabels: string[];
  emoji: boolean;
}

const SCRIPTS = [
  'Latin',
  'Cyrillic',
  'Greek',
  'Armenian',
  'Cherokee',
  'Han',
  'Hiragana',
  'Katakana',
  'Hangul',
  'Arabic',
  'Hebrew',
  'Thai',
  'Devanagari',
] as const;
const SCRIPT_TESTS = SCRIPTS.map((name) => [name, new RegExp(`\\p{Script=${name}}`, 'u')] as const);
const EMOJI = /\p{Extended_Pictographic}/u;

function scriptOf(char: string): string {
  if (EMOJI.test(char)) return 'emoji';
  return SCRIPT_TESTS.find(([, test]) => test.test(char))?.[0] ?? 'another script';
}

/** What a typed host holds beyond plain ASCII. */
function hostLetters(typedHost: string): HostLetters {
  const foreign: HostLetters['foreign'] = [];
  for (const char of new Set(typedHost.normalize('NFC'))) {
    if (char.codePointAt(0)! < 0x80) continue;
    const looksLike = LOOKALIKES[char] ?? LOOKALIKES[char.toLowerCase()];
    foreign.push({
      char,
      codePoint: `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`,
      script: scriptOf(char),
      ...(looksLike ? { looksLike } : {}),
    });
  }
  const mixedLabels = typedHost.split('.').filter((label) => {
    const scripts = new Set([...label].filter((c) => /\p{L}/u.test(c)).map(scriptOf));
    return scripts.has('Latin') && (scripts.has('Cyrillic') || scripts.has('Greek'));
  });
  return { foreign, mixedLabels, emoji: foreign.some((f) => f.script === 'emoji') };
}

/**
 * Why a host may not be used as typed, or undefined when it may: `allowIdn` lets a genuine internationalised name
 * through, never a label mixing Latin with Cyrillic or Greek, nor emoji.
 */
export function idnProblem(typedHost: string, asciiHost: string, allowIdn: boolean): string | undefined {
  const letters = hostLetters(typedHost);
  if (!letters.foreign.length) return undefined;
  const listed = letters.foreign
    .map((f) => `"${f.char}" (${f.codePoint}, ${f.script}${f.looksLike ? `, looks like "${f.looksLike}"` : ''})`)
    .join(', ');
  const wire = `it is ${asciiHost} on the wire`;
  if (letters.emoji) return `has emoji: ${listed} — ${wire}; no school's site is named so`;
  if (letters.mixedLabels.length)
    return (
      `mixes Latin letters with Cyrillic or Greek ones ` +
      `in "${letters.mixedLabels.join('", "')}": ${listed} ` +
      `— ${wire}, a lookalike of a plain-letter host`
    );
  if (allowIdn) return undefined;
  const lookalikes = letters.foreign.filter((f) => f.looksLike);
  return lookalikes.length
    ? `has letters that look like plain ones but are not: ${listed} — ${wire}`
    : `has letters outside plain ASCII: ${listed} — ${wire}`;
}
