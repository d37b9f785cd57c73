import type { CauseId } from '../core/causes.js';
import type { CheckResult } from '../core/result.js';
import {
  laxReleases,
  releaseFromReleaseText,
  releaseFromVersionNumber,
  type MoodleRelease,
} from '../moodle/versions.js';
import type { HarEntry } from './har/read.js';

/** What an input shows of the Moodle's version: a release it names, or how its session cookie is set. */
export interface MoodleEvidence {
  release?: MoodleRelease;
  /** SameSite on the MoodleSession cookie the capture shows: Lax is MDL-83526's (or a site's own server rule). */
  sessionSameSite?: 'Lax' | 'None' | 'Strict' | 'absent';
  /** Where it was seen, in a person's words. */
  from: string;
}

const TOOL_PLATFORM = 'https://purl.imsglobal.org/spec/lti/claim/tool_platform';

/** tool_platform.version in an id_token ($CFG->version, "2024100706" or a weekly "2025041406.11"). */
export function evidenceFromToken(payload: Record<string, unknown>): MoodleEvidence | undefined {
  const version = (payload[TOOL_PLATFORM] as { version?: unknown } | undefined)?.version;
  if (typeof version !== 'string') return undefined;
  const release = releaseFromVersionNumber(version);
  return release ? { release, from: `the id_token's tool_platform.version ${version}` } : undefined;
}

/** The version openid-configuration.php reported to the live checks ($CFG->release). */
export function evidenceFromLive(results: readonly CheckResult[]): MoodleEvidence | undefined {
  const reported = results.find((r) => r.observed?.moodleVersion)?.observed?.moodleVersion;
  const release = reported ? releaseFromReleaseText(reported) : undefined;
  return release ? { release, from: `openid-configuration.php's version "${reported}"` } : undefined;
}

/** The SameSite attribute of the first MoodleSession cookie Moodle's answers in a capture set. */
export function evidenceFromHar(entries: readonly HarEntry[]): MoodleEvidence | undefined {
  let seen: MoodleEvidence['sessionSameSite'];
  let where = '';
  for (const entry of entries) {
    for (const cookie of entry.setCookies) {
      if (seen || !/^MoodleSession/.test(cookie.name) || cookie.deletes) continue;
      const attribute = cookie.sameSite?.toLowerCase();
      seen = attribute === 'lax' ? 'Lax' : attribute === 'none' ? 'None' : attribute === 'strict' ? 'Strict' : 'absent';
      where = entry.url.pathname;
    }
  }
  return seen ? { sessionSameSite: seen, from: `the MoodleSession cookie set at ${where} in the capture` } : undefined;
}

/**
 * How this Moodle sets its session cookie, as far as the evidence shows: Lax (past MDL-83526), None for Chrome over
 * https (before it), or no SameSite at all (before it, over http or to a browser other than Chrome) — which Chrome
 * treats as Lax. Undefined when nothing shows it.
 */
function sessionCookieRule(
  evidence: readonly MoodleEvidence[],
): { rule: 'lax' | 'none-for-chrome' | 'absent'; from: string } | undefined {
  for (const e of evidence) {
    if (e.sessionSameSite === 'Lax') return { rule: 'lax', from: e.from };
    if (e.sessionSameSite === 'absent') return { rule: 'absent', from: e.from };
    if (e.sessionSameSite === 'None') return { rule: 'none-for-chrome', from: e.from };
    if (e.release)
      return { rule: e.release.line.wire.sessionSameSite === 'lax' ? 'lax' : 'none-for-chrome', from: e.from };
  }
  return undefined;
}

const MDL_83526 = `MDL-83526 (Moodle ${laxReleases()})`;

/**
 * The causes whose explanation depends on the Moodle version: what the evidence says of it, or that it is not known.
 * A note is added to the cause's explanation; an unknown version becomes one "not checked" line.
 */
export function versionNotes(
  causes: readonly CauseId[],
  evidence: readonly MoodleEvidence[],
): { notes: Partial<Record<CauseId, string>>; unknown?: string } {
  const notes: Partial<Record<CauseId, string>> = {};
  const unknown: string[] = [];
  const release = evidence.find((e) => e.release)?.release;
  if (causes.includes('score-timestamp')) {
    if (!release) unknown.push("which time the grade keeps (the score's own from 4.3 on, the server's on 4.1 and 4.2)");
    else if (release.line.wire.scoreTime === 'server-time')
      notes['score-timestamp'] =
        `On Moodle ${release.number} the grade keeps the server's time, not the score's: a score is refused ` +
        "unless its timestamp is newer than the server's clock at the last grade (so mind the tool's clock, too).";
  }
  if (!causes.includes('repost')) return unknownVersion(notes, unknown);
  const cookie = sessionCookieRule(evidence);
  if (!cookie) {
    unknown.push(`whether this is the failure of ${MDL_83526}, the session cookie made SameSite=Lax by the update`);
    return unknownVersion(notes, unknown);
  }
  notes.repost =
    cookie.rule === 'lax'
      ? `This Moodle's session cookie is SameSite=Lax (${cookie.from}): it is past the update, so this is that failure.`
      : cookie.rule === 'absent'
        ? `This Moodle sets its session cookie without SameSite (${cookie.from}): it is before MDL-83526, served ` +
          'over http (or to a browser other than Chrome). Chrome treats such a cookie as Lax once it is two minutes ' +
          'old, so the repost field loses the session here too — not because of an update: serve Moodle over https ' +
          '(Chrome then gets SameSite=None before the update), and the tool must stop sending repost all the same.'
        : `This Moodle sets its session cookie SameSite=None for Chrome over https (${cookie.from}; before ` +
          'MDL-83526): the repost field loses the session only where the cookie is Lax anyway — an http site, in ' +
          'Chrome (which treats a cookie without SameSite as Lax; Firefox and Safari do not).';
  return unknownVersion(notes, unknown);
}

function unknownVersion(
  notes: Partial<Record<CauseId, string>>,
  unknown: string[],
): { notes: Partial<Record<CauseId, string>>; unknown?: string } {
  if (!unknown.length) return { notes };
  return {
    notes,
    unknown:
      `the Moodle version, which decides ${unknown.join('; and ')} — give --live, the id_token (--token) or a ` +
      'capture of the launch (--har)',
  };
}
