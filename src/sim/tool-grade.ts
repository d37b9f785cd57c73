import type { EmbeddedPlatform } from './platform/server.js';
import type { GradeOutcome } from './grade-flow.js';

/**
 * With an external tool the CLI cannot post the score itself: the tool does, to the embedded platform, whenever it
 * likes. Keep watching the platform for `seconds` and report what arrived — a token request, a score — and what
 * the gradebook then holds; never a success without a grade.
 */
export async function waitForToolGrade(
  platform: EmbeddedPlatform,
  userId: number,
  seconds: number | undefined,
): Promise<GradeOutcome> {
  const base = { scores: [], results: [] };
  if (seconds === undefined) {
    return {
      ...base,
      ok: false,
      stage: 'score',
      verdict:
        'an external tool posts its own grade, and nothing waited for it: ' +
        'give --wait <seconds> to keep the platform up for its token ' +
        'request and score',
    };
  }
  const { state, setup } = platform;
  const itemId = setup.world.activity.gradeItemId;
  const tokensBefore = state.tokensIssued;
  const since = state.now();
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const held = state.grade(itemId, userId);
    if (held && held.timemodified !== null && held.timemodified >= since - 1) {
      const readBack = {
        url: `${setup.wwwroot}/_inspera-lti/gradebook`,
        status: 200,
        resultScore: held.grade,
        resultMaximum: setup.world.activity.gradeMax,
        comment: held.feedback,
        timestamp: held.timestamp,
      };
      return held.grade === null
        ? {
            ...base,
            ok: false,
            stage: 'readback',
            readBack,
            verdict:
              `the tool posted a score (${held.gradingProgress}), ` +
              `but the gradebook holds no grade: Moodle records ` +
              `one only for FullyGraded with a scoreGiven`,
          }
        : {
            ...base,
            ok: true,
            stage: 'done',
            readBack,
            verdict:
              `the tool posted a score: Moodle holds ${held.grade}/${setup.world.activity.gradeMax} ` +
              `for user ${userId}`,
          };
    }
    if (Date.now() >= deadline) {
      const asked = state.tokensIssued > tokensBefore;
      const refused = state.refusals.filter((r) => r.at >= since).at(-1);
      if (refused) {
        const unasked = !asked && refused.status === 401 ? ' (it did not ask token.php for a new one)' : '';
        return {
          ...base,
          ok: false,
          stage: refused.endpoint === 'token' ? 'token' : 'score',
          verdict: `no score arrived within ${seconds} s: ${refused.said}${unasked}`,
        };
      }
      return {
        ...base,
        ok: false,
        stage: asked ? 'score' : 'token',
        verdict:
          `no score arrived within ${seconds} s: ` +
          (asked
            ? 'the tool got an access token from token.php but posted no score'
            : 'the tool did not ask token.php for an access token'),
      };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
