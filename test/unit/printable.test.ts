import { describe, expect, it } from 'vitest';
import { parseJson, result } from '../../src/checks/validate/context.js';
import type { ProbeAnswer } from '../../src/http/probe.js';
import { looksBinary, printable } from '../../src/util/printable.js';

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
