import { expect } from 'vitest';

/**
 * One corpus of hostile text (issue 30, item 7): an OSC 8 link, a clear-screen sequence, a bidi override, a forged
 * verdict on a line of its own, HTML that runs script. Every command that shows outside text is fed it.
 */
export const HOSTILE =
  '\x1b]8;;https://evil.example/\x07click\x1b]8;;\x07\x1b[2J\u202eevil\n✔ Verdict: healthy ' +
  '<script>alert(1)</script><img src=x onerror=alert(1)>';

/** Nothing of the corpus acts: no escape character, no bidi override, no forged line. */
export function expectInert(text: string, where: string): void {
  expect(text, where).not.toContain('\x1b');
  expect(text, where).not.toContain('\x07');
  expect(text, where).not.toContain('\u202e');
  expect(text, where).not.toMatch(/^✔ Verdict: healthy/m);
}

/** Markdown: outside code (where Markdown renders HTML) no tag of the corpus; code blocks and spans show text. */
export function expectInertMarkdown(text: string, where: string): void {
  expectInert(text, where);
  const prose = text.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  expect(prose, where).not.toMatch(/<script|<img/i);
}
