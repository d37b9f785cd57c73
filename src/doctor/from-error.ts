import type { Finding } from './diagnosis.js';
import { matchMessages } from './messages.js';

/** A pasted error message matched to its causes (facts F); some words have two ("Invalid request", ltijs's UNREGISTERED_PLATFORM). */
export function diagnoseError(text: string, source: 'error' | 'har' = 'error'): Finding[] {
  const findings: Finding[] = [];
  const matches = matchMessages(text);
  matches.forEach((match, index) => {
    findings.push({ cause: match.cause, source, severity: 'fail', seen: `"${match.matched}" — ${match.meaning}`, certainty: 15 - index });
    if (match.also) findings.push({ cause: match.also.cause, source, severity: 'fail', seen: `"${match.matched}" — ${match.also.meaning}`, certainty: 5 - index });
  });
  return findings;
}
