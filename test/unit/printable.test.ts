import { describe, expect, it } from 'vitest';
import { parseJson, result } from '../../src/checks/validate/context.js';
import type { ProbeAnswer } from '../../src/http/probe.js';
import { jsonSafe, looksBinary, markdownSafe, printable, terminalSafe } from '../../src/util/printable.js';

const answer = (body: string, headers: Record<string, string> = {}): ProbeAnswer =>
  ({
    ok: true,
    url: 'https://m.example/x',
    finalUrl: 'https://m.example/x',
    status: 200,
    headers,
    body,
    truncated: false,
    redirects: [],
    elapsedMs: 1,
    midpointMs: 0,
  }) as unknown as ProbeAnswer;

describe('untrusted text is printed escaped', () => {
  it('control, bidi and invisible characters become escapes; long text is shortened', () => {
    expect(printable('a\x1fb\x00c\u202ed\u200be\x7f')).toBe('a\\x1fb\\x00c\\u202ed\\u200be\\x7f');
    expect(printable('tab\tand text stay')).toBe('tab\tand text stay');
    expect(printable('x'.repeat(50), 10)).toBe(`${'x'.repeat(9)}…`);
    // One line stays one line: a value cannot start a forged line of its own.
    expect(printable('a\n✔ Verdict: healthy\r')).toBe('a\\n✔ Verdict: healthy\\r');
  });

  it('the terminal gets our colours and line breaks, never an escape sequence from outside', () => {
    const outside = '\x1b]8;;https://evil.example/\x07link\x1b]8;;\x07\x1b[2J';
    expect(terminalSafe(`\x1b[32m✔\x1b[39m ok\n${outside}`, true)).toBe(
      '\x1b[32m✔\x1b[39m ok\n\\x1b]8;;https://evil.example/\\x07link\\x1b]8;;\\x07\\x1b[2J',
    );
    // Without colour no escape character passes at all, not even a colour from outside.
    expect(terminalSafe('\x1b[31mred', false)).toBe('\\x1b[31mred');
  });

  it('Markdown shows HTML, links and code marks as text; JSON keeps its data and loses bidi', () => {
    expect(markdownSafe('<img src=x onerror=alert(1)> [a](javascript:x) `x` &')).toBe(
      '&lt;img src=x onerror=alert(1)&gt; \\[a\\](javascript:x) \\`x\\` &amp;',
    );
    const json = JSON.stringify({ kid: '\u202eevil<b>`' });
    expect(JSON.parse(jsonSafe(json))).toEqual({ kid: '\u202eevil<b>`' });
    expect(jsonSafe(json)).toBe('{"kid":"\\u202eevil<b>`"}');
    expect(jsonSafe(json, true)).toBe('{"kid":"\\u202eevil\\u003cb\\u003e\\u0060"}');
  });

  it('a gzip or UTF-16 answer is summarised, never echoed raw, in a finding', () => {
    const gzip = parseJson(answer('\x1f\ufffd\b\x00\x00\x00\x00\x00\x00\x03\ufffd', { 'content-encoding': 'gzip' }));
    expect(gzip).toMatchObject({
      ok: false,
      why: expect.stringMatching(
        /^binary data came back where JSON was expected \(\d+ bytes, Content-Encoding gzip that was not asked for\)$/,
      ),
    });
    const utf16 = parseJson(answer('{\x00"\x00k\x00"\x00'));
    expect(utf16).toMatchObject({ ok: false, why: expect.stringContaining('UTF-16 or another binary encoding') });
    expect(looksBinary('{"keys": []}')).toBe(false);
    const r = result('x', 'X', 'fail', 'server said \x1b[31mred\u202e', { evidence: '\x00\x01' });
    expect(r.finding).toBe('server said \\x1b[31mred\\u202e');
    expect(r.evidence).toBe('\\x00\\x01');
  });
});
