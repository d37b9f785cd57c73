/**
 * Text from outside (a server's answer, a pasted value, a token, a HAR, a Moodle page) made safe for each place it is
 * shown. Every output boundary goes through this module: the terminal (Output and the human reporter), Markdown
 * reports, JUnit and the servers' logs.
 */
// C0 controls but tab and newline, DEL, C1 controls; bidi embeddings/overrides/isolates and marks; zero-width, BOM.
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
// The same, and line breaks (tabs stay): text meant to stay on its line cannot start a line of its own
// (a forged "✔ Verdict: healthy").
const UNSAFE_IN_LINE = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff]/g;
// The colours inspera-lti itself writes (chalk's SGR sequences): the only escape sequences let through.
const OWN_COLOUR = /\x1b\[[0-9;]*m/g;

function shown(c: string): string {
  const code = c.charCodeAt(0);
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  if (c === '\t') return '\\t';
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One line of outside text: controls, line breaks, bidi and invisible characters shown as escapes; long text cut. */
export function printable(text: string, max = 500): string {
  const escaped = text.replace(UNSAFE_IN_LINE, shown);
  return escaped.length > max ? `${escaped.slice(0, max - 1)}…` : escaped;
}

/**
 * A block for the terminal: lines and tabs kept, every other control escaped — so no escape sequence from outside
 * (an OSC 8 link, a clear screen, a cursor move) reaches it — except the colours inspera-lti adds when `colour` is on.
 */
export function terminalSafe(text: string, colour: boolean): string {
  if (!colour) return text.replace(UNSAFE, shown);
  const parts = text.split(OWN_COLOUR);
  const kept = text.match(OWN_COLOUR) ?? [];
  return parts.map((part, i) => part.replace(UNSAFE, shown) + (kept[i] ?? '')).join('');
}

/**
 * One line of outside text for a Markdown report (a ticket, a GitHub comment): printable, and no HTML, link or code
 * syntax of its own — `<script>`, `<img onerror>`, `[text](url)` and backticks show as text.
 */
export function markdownSafe(text: string, max = 2000): string {
  return printable(text, max)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`[\]|]/g, (c) => `\\${c}`);
}

/**
 * JSON text (as JSON.stringify wrote it) with bidi, invisible and C1 characters as \u escapes: the same data, and
 * nothing that reorders or hides text where the document is printed. In a Markdown code block, backticks and angle
 * brackets too.
 */
export function jsonSafe(json: string, inMarkdown = false): string {
  const unsafe = inMarkdown ? JSON_UNSAFE_IN_MARKDOWN : JSON_UNSAFE;
  return json.replace(unsafe, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
const JSON_UNSAFE = /[\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff\x7f-\x9f]/g;
const JSON_UNSAFE_IN_MARKDOWN = /[\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff\x7f-\x9f`<>]/g;

/** Whether a body is binary (compressed, UTF-16, an image…) rather than text: NULs or many control bytes. */
export function looksBinary(text: string): boolean {
  if (text.includes('\u0000')) return true;
  const sample = text.slice(0, 512);
  const controls = sample.match(/[\x00-\x08\x0e-\x1f\x7f]/g)?.length ?? 0;
  return sample.length > 0 && controls / sample.length > 0.05;
}
