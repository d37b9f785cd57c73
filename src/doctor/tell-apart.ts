import type { CheckResult } from '../core/result.js';
import { finding, type Finding } from './diagnosis.js';
import type { MoodleEvidence } from './moodle-version.js';

/** How to capture one failing launch, in a browser, for `doctor --har`. */
export const HAR_STEPS =
  'in Chrome or Edge open DevTools (F12) > Network, tick "Preserve log", open the Moodle activity until the error ' +
  'shows, then right-click the request list > "Save all as HAR with content"';

/** The findings with what the other inputs say of an ambiguous message, and what would decide between its causes. */
export interface TellApart {
  findings: Finding[];
  /** The one piece of evidence that would decide between the causes left, when the inputs could not. */
  decide?: string;
  /** Whether the other inputs ranked the causes; when not, the order is the catalogue's and no verdict picks one. */
  ranked: boolean;
}

/** Above the redirect_uri's rank (weight 98 + certainty 15) with the lost session's own weight (90). */
const LIKELIER = 30;

const DECIDE =
  'What tells these apart: a HAR of one failing launch (' +
  HAR_STEPS +
  '), then `inspera-lti doctor --har <file>` — it shows which redirect_uri the tool sent and whether the Moodle ' +
  'session cookie reached auth.php; or `inspera-lti doctor --moodle` run by a Moodle administrator, which reads the ' +
  'stored Redirection URI(s).';

/**
 * Moodle's "Invalid request" at auth.php has two families: a redirect_uri Moodle does not hold, and a launch whose
 * Moodle session did not arrive (MDL-83526, blocked cookies, another browser). The message alone cannot tell them
 * apart; the other inputs can rank them: the stored Redirection URIs (doctor --moodle) rule the first out, and a
 * Moodle past MDL-83526 (its version or its session cookie) makes the second the likelier. Whatever is left is said
 * with the evidence that would decide.
 */
export function tellApart(
  findings: readonly Finding[],
  passed: readonly CheckResult[],
  evidence: readonly MoodleEvidence[],
): TellApart {
  const of = (id: string) => findings.filter((f) => f.cause.id === id);
  const messageOnly = (group: Finding[]) => group.length > 0 && group.every((f) => f.source === 'error');
  if (!messageOnly(of('redirect-uri')) || !messageOnly(of('launch-state-lost')))
    return { findings: [...findings], ranked: true };
  if (passed.some((c) => c.id === 'moodle.redirect-uris' && c.status === 'pass'))
    return {
      findings: [
        ...findings.filter((f) => f.cause.id !== 'redirect-uri'),
        finding(
          'moodle',
          'launch-state-lost',
          'fail',
          'Moodle holds the Redirection URI(s) byte for byte, so "Invalid request" is not a redirect_uri it does ' +
            'not hold: the launch lost its Moodle session',
        ),
      ],
      ranked: true,
    };
  const lax = laxSession(evidence);
  if (!lax) return { findings: [...findings], decide: DECIDE, ranked: false };
  return {
    findings: [
      ...findings,
      finding(
        'error',
        'launch-state-lost',
        'fail',
        `${lax}: a cross-site POST to auth.php arrives without the session cookie — the "Invalid request" sites ` +
          'meet after that update, when the setup itself had worked',
        { certainty: LIKELIER },
      ),
    ],
    decide: DECIDE,
    ranked: true,
  };
}

/** The evidence that this Moodle's session cookie is SameSite=Lax, said for a person; undefined when none shows it. */
function laxSession(evidence: readonly MoodleEvidence[]): string | undefined {
  for (const e of evidence) {
    if (e.sessionSameSite === 'Lax') return `this Moodle's session cookie is SameSite=Lax (${e.from})`;
    if (e.release?.line.wire.sessionSameSite === 'lax')
      return `Moodle ${e.release.number} (${e.from}) sets its session cookie SameSite=Lax (MDL-83526)`;
  }
  return undefined;
}
