import { describe, expect, it } from 'vitest';
import { diagnoseError, nearestMessage } from '../../src/doctor/from-error.js';
import { KNOWN_MESSAGES } from '../../src/doctor/messages.js';
import { troubleshootingMarkdown } from '../../src/doctor/catalogue.js';

describe('the messages doctor knows', () => {
  it('every example, word for word, is read as its own cause', () => {
    for (const known of KNOWN_MESSAGES) {
      expect(known.examples.length, String(known.pattern)).toBeGreaterThan(0);
      for (const example of known.examples) {
        expect(known.pattern.test(example), example).toBe(true);
        expect(
          diagnoseError(example).map((f) => f.cause.id),
          example,
        ).toContain(known.cause);
      }
    }
  });

  it('every example is listed in the troubleshooting catalogue', () => {
    const doc = troubleshootingMarkdown();
    for (const known of KNOWN_MESSAGES)
      for (const example of known.examples) expect(doc, example).toContain(example.replaceAll('|', '\\|'));
  });

  it('a near miss is measured against the message as far as it was pasted; a page is no near miss', () => {
    expect(nearestMessage('Invalid nonse')?.example).toBe('Invalid Nonce.');
    expect(nearestMessage('Refusing score with an earlir timestamp for item')?.example).toMatch(
      /^Refusing score with an earlier timestamp/,
    );
    expect(nearestMessage('abc')).toBeUndefined();
    expect(nearestMessage('The weather is fine today')).toBeUndefined();
    expect(nearestMessage(`<html>${'x'.repeat(400)}</html>`)).toBeUndefined();
  });
});
