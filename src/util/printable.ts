/**
 * Text from outside (a server's answer, a pasted value) made safe for a terminal: control characters, bidi
 * overrides and invisible characters shown as escapes (\x1f, \u202e), and long text shortened. Printable text is left
 * as it is.
 */
// C0 controls but tab, DEL, C1 controls; bidi embeddings/overrides/isolates and marks; zero-width characters, BOM.
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

export function printable(text: string, max = 500): string {
  const escaped = text.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
  return escaped.length > max ? `${escaped.slice(0, max - 1)}…` : escaped;
}

/** Whether a body is binary (compressed, UTF-16, an image…) rather than text: NULs or many control bytes. */
export function looksBinary(text: string): boolean {
  if (text.includes('\u0000')) return true;
  const sample = text.slice(0, 512);
  const controls = sample.match(/[\x00-\x08\x0e-\x1f\x7f]/g)?.length ?? 0;
  return sample.length > 0 && controls / sample.length > 0.05;
}
