/**
 * application/x-www-form-urlencoded as browsers write and read it (the WHATWG URL standard's serializer and
 * parser, which URLSearchParams implements), with a shortcut for the values LTI forms carry most — id_tokens,
 * states, nonces — that need no escaping: URLSearchParams escapes and unescapes in JavaScript, character by
 * character, and an id_token is kilobytes.
 */
const PLAIN = /^[A-Za-z0-9*._-]*$/;

function encodeOne(text: string): string {
  return PLAIN.test(text) ? text : new URLSearchParams([['', text]]).toString().slice(1);
}

export function encodeForm(fields: Record<string, string>): string {
  let out = '';
  for (const name in fields) out += `${out ? '&' : ''}${encodeOne(name)}=${encodeOne(fields[name]!)}`;
  return out;
}

/** Every name/value pair, in order (a repeated name appears again), as URLSearchParams reads them. */
export function decodeForm(text: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const part of text.split('&')) {
    if (!part) continue;
    if (part.includes('%') || part.includes('+')) {
      for (const pair of new URLSearchParams(part)) pairs.push(pair);
      continue;
    }
    const eq = part.indexOf('=');
    pairs.push(eq < 0 ? [part, ''] : [part.slice(0, eq), part.slice(eq + 1)]);
  }
  return pairs;
}
