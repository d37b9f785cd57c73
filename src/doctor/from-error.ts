import type { Finding } from './diagnosis.js';
import { matchMessages } from './messages.js';

/** A pasted error message matched to its causes (facts F); "Invalid request" has two. */
export function diagnoseError(text: string, source: 'error' | 'har' = 'error'): Finding[] {
  const findings: Finding[] = [];
  const matches = matchMessages(text);
  matches.forEach((match, index) => {
    findings.push({ cause: match.cause, source, severity: 'fail', seen: `"${match.matched}" — ${match.meaning}`, certainty: 15 - index });
    if (match.cause === 'redirect-uri') {
      findings.push({ cause: 'launch-state-lost', source, severity: 'fail', seen: `"${match.matched}" also appears when Moodle lost the launch (session cookie, stale or replayed launch)`, certainty: 5 - index });
    }
  });
  return findings;
}
