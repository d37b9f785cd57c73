import { finding, type Finding } from './diagnosis.js';
import { KNOWN_MESSAGES, matchMessages } from './messages.js';
import { editDistance } from '../util/suggest.js';
import { oauthWords, readOAuthError } from './oauth-error.js';

/** Longer texts are pages or logs: a near miss among them would be chance, not a typo. */
const NEAR_MISS_MAX_LENGTH = 240;

/** The known message a text is a slightly altered copy of (retyped, cut, a word changed), with how far it is. */
export function nearestMessage(text: string): { example: string; index: number } | undefined {
  const subject = text.trim().toLowerCase();
  if (subject.length < 6 || subject.length > NEAR_MISS_MAX_LENGTH) return undefined;
  let best: { example: string; index: number; distance: number } | undefined;
  KNOWN_MESSAGES.forEach((known, index) => {
    for (const example of known.examples) {
      // A paste cut short is measured against as much of the message as was pasted.
      const whole = example.toLowerCase();
      const compared = whole.length > subject.length + 4 ? whole.slice(0, subject.length) : whole;
      const distance = editDistance(subject, compared);
      // A quarter of the text may differ: "Invalid nonse" and "Refusing score with an earliest timestamp" are near,
      // two unrelated sentences of the same length are not.
      if (distance > Math.max(2, Math.floor(compared.length / 4))) continue;
      if (!best || distance < best.distance) best = { example, index, distance };
    }
  });
  return best ? { example: best.example, index: best.index } : undefined;
}

/**
 * A pasted error message matched to its causes (facts F); some words have two ("Invalid request", ltijs's
 * UNREGISTERED_PLATFORM). An OAuth error (a bare code, auth.php's posted-back form, token.php's JSON) is read by its
 * fields; a text that matches nothing but is a near copy of a known message gets that message, said as such.
 */
export function diagnoseError(text: string, source: 'error' | 'har' = 'error'): Finding[] {
  const findings: Finding[] = [];
  const oauth = source === 'error' ? readOAuthError(text) : undefined;
  const matches = matchMessages(oauth ? oauthWords(oauth) : text);
  matches.forEach((match, index) => {
    findings.push(
      finding(source, match.cause, 'fail', `"${match.matched}" — ${match.meaning}`, { certainty: 15 - index }),
    );
    if (match.also)
      findings.push(
        finding(source, match.also.cause, 'fail', `"${match.matched}" — ${match.also.meaning}`, {
          certainty: 5 - index,
        }),
      );
  });
  if (findings.length || source !== 'error') return findings;
  const near = nearestMessage(oauth ? oauth.error : text);
  if (near) {
    const known = KNOWN_MESSAGES[near.index]!;
    findings.push(
      finding(
        source,
        known.cause,
        'fail',
        `not a known message word for word; the nearest is "${near.example}" — ${known.meaning}`,
        { certainty: 0 },
      ),
    );
  }
  return findings;
}
