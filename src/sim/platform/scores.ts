import { MEDIA_TYPE } from '../../lti/claims.js';
import type { ServiceAnswer, ServiceContext } from './service-response.js';

/** gradebookservices::validate_iso8601_date — loose: a date alone, or a time without a zone, also passes. */
const ISO8601 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/;

function isNumeric(value: unknown): boolean {
  return (
    (typeof value === 'number' && Number.isFinite(value)) ||
    (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
  );
}

/**
 * POST …/lineitem/scores once the resource's checks passed (resources/scores.php): the body is always "[]" and the
 * answer keeps the request's content type; an error's message rides in the reason phrase (facts C).
 */
export function scoreAnswer(ctx: ServiceContext, id: number): ServiceAnswer {
  const { setup, state, request } = ctx;
  const refuse = (code: number, reason: string): ServiceAnswer => ({
    code,
    reason,
    body: '[]',
    contentType: ctx.contentType,
  });
  const toolItem = state.lineItems.get(id);
  const raw = request.body;
  let score: Record<string, unknown>;
  try {
    score = JSON.parse(raw) as Record<string, unknown>;
    if (typeof score !== 'object' || score === null || Array.isArray(score)) throw new Error('not an object');
  } catch {
    return refuse(400, `Incorrect score received${raw}`);
  }
  const bad = () => refuse(400, `Incorrect score received${raw}`);
  for (const field of ['userId', 'timestamp', 'gradingProgress', 'activityProgress'])
    if (score[field] === undefined || score[field] === null) return bad();
  if (typeof score.timestamp !== 'string' || !ISO8601.test(score.timestamp)) return bad();
  if (score.scoreGiven !== undefined && (!isNumeric(score.scoreGiven) || score.scoreMaximum === undefined))
    return bad();
  if (score.scoreMaximum !== undefined && !isNumeric(score.scoreMaximum)) return bad();
  const user = setup.world.users.find((u) => String(u.id) === String(score.userId));
  if (user?.persona !== 'learner') return bad();

  const when = Math.floor(Date.parse(score.timestamp) / 1000);
  const existing = state.grade(id, user.id);
  if (existing && existing.timemodified !== null && existing.timemodified >= when) {
    return refuse(409, `Refusing score with an earlier timestamp for item ${id} and user ${user.id}`);
  }
  const gradeMax = toolItem ? toolItem.scoreMaximum : setup.world.activity.gradeMax;
  const scoreMaximum = score.scoreMaximum === undefined ? 1 : Number(score.scoreMaximum);
  let grade: number | null = null;
  if (score.gradingProgress === 'FullyGraded' && score.scoreGiven !== undefined) {
    const given = Number(score.scoreGiven);
    grade = scoreMaximum !== 0 && scoreMaximum !== gradeMax ? (given * gradeMax) / scoreMaximum : given;
  }
  const feedback = typeof score.comment === 'string' ? score.comment : null;
  const cleared = grade === null && feedback === null;
  // 4.5 keeps the score's own time (dategraded = timemodified); 4.2 passes no dategraded, so the grade keeps the
  // server's time, and only when the value or comment changes (src/moodle/versions.ts, scoreTime).
  const serverTime = setup.world.moodle.line.wire.scoreTime === 'server-time';
  const unchanged = existing !== undefined && existing.grade === grade && existing.feedback === feedback;
  const timemodified = cleared ? null : serverTime ? (unchanged ? existing.timemodified : state.now()) : when;
  state.setGrade({
    itemId: id,
    userId: user.id,
    grade,
    feedback,
    timemodified,
    gradingProgress: String(score.gradingProgress),
    activityProgress: String(score.activityProgress),
    timestamp: serverTime ? new Date(state.now() * 1000).toISOString().replace(/\.\d{3}Z$/, '+00:00') : score.timestamp,
  });
  return {
    code: 200,
    body: '',
    contentType: MEDIA_TYPE.score,
    note:
      grade === null
        ? `200 grade cleared (${String(score.gradingProgress)})`
        : `200 grade ${grade}/${gradeMax} for user ${user.id}`,
  };
}
