import type { ServerResponse } from 'node:http';
import { MEDIA_TYPE, SCOPE } from '../../lti/claims.js';
import { send, type ParsedRequest } from '../http-server.js';
import { acceptsGrades } from './launch-message.js';
import { checkBearer, serviceError } from './service-auth.js';
import type { PlatformState } from './state.js';
import type { PlatformSetup } from './types.js';

/** gradebookservices::validate_iso8601_date — loose: a date alone, or a time without a zone, also passes. */
const ISO8601 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/;

function isNumeric(value: unknown): boolean {
  return (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)));
}

/** An error raised inside the POST handler: the message rides in the HTTP reason phrase, the body is []. */
function handlerError(response: ServerResponse, request: ParsedRequest, status: number, reason: string): string {
  const headers = { 'content-type': `${request.contentType.split(';')[0]}; charset=utf-8` };
  try {
    if (/[\r\n]/.test(reason)) throw new Error('header() refuses a line break');
    send(response, status, '[]', headers, reason);
    return `${status} ${reason}`;
  } catch {
    // PHP's header() drops a status line with CR/LF in it, so the answer goes out as 200 (derived, not observed).
    if (!response.headersSent) send(response, 200, '[]', headers);
    return `200 [] (reason "${reason.slice(0, 40)}…" had a line break)`;
  }
}

/** POST .../lineitems/{item}/lineitem/scores — resources/scores.php execute, checks in Moodle's order (facts C). */
export function handleScore(setup: PlatformSetup, state: PlatformState, request: ParsedRequest, response: ServerResponse, courseId: string, itemId: string): string {
  const denied = checkBearer(setup, state, request, response, [SCOPE.score]);
  if (denied) return denied;
  if (request.contentType.split(';')[0] !== MEDIA_TYPE.score) return serviceError(response, request, 400, 'No context or unsupported content type');
  if (courseId !== String(setup.world.course.id)) return serviceError(response, request, 404, `Not Found: Course ${courseId} doesn't exist`);
  const id = Number(itemId);
  const activityItem = id === setup.world.activity.gradeItemId && acceptsGrades(setup);
  const toolItem = state.lineItems.get(id);
  if (!activityItem && !toolItem) return serviceError(response, request, 404, `Not Found: Grade item ${itemId} doesn't exist`);

  const raw = request.body;
  let score: Record<string, unknown>;
  try {
    score = JSON.parse(raw) as Record<string, unknown>;
    if (typeof score !== 'object' || score === null || Array.isArray(score)) throw new Error('not an object');
  } catch {
    return handlerError(response, request, 400, `Incorrect score received${raw}`);
  }
  const bad = () => handlerError(response, request, 400, `Incorrect score received${raw}`);
  for (const field of ['userId', 'timestamp', 'gradingProgress', 'activityProgress']) if (score[field] === undefined || score[field] === null) return bad();
  if (typeof score.timestamp !== 'string' || !ISO8601.test(score.timestamp)) return bad();
  if (score.scoreGiven !== undefined && (!isNumeric(score.scoreGiven) || score.scoreMaximum === undefined)) return bad();
  if (score.scoreMaximum !== undefined && !isNumeric(score.scoreMaximum)) return bad();
  const user = setup.world.users.find((u) => String(u.id) === String(score.userId));
  if (!user || user.persona !== 'learner') return bad();

  const when = Math.floor(Date.parse(score.timestamp) / 1000);
  const existing = state.grade(id, user.id);
  if (existing && existing.timemodified !== null && existing.timemodified >= when) {
    return handlerError(response, request, 409, `Refusing score with an earlier timestamp for item ${id} and user ${user.id}`);
  }
  const gradeMax = toolItem ? toolItem.scoreMaximum : setup.world.activity.gradeMax;
  const scoreMaximum = score.scoreMaximum === undefined ? 1 : Number(score.scoreMaximum);
  let grade: number | null = null;
  if (score.gradingProgress === 'FullyGraded' && score.scoreGiven !== undefined) {
    const given = Number(score.scoreGiven);
    grade = scoreMaximum !== 0 && scoreMaximum !== gradeMax ? (given * gradeMax) / scoreMaximum : given;
  }
  const feedback = typeof score.comment === 'string' ? score.comment : null;
  state.setGrade({
    itemId: id,
    userId: user.id,
    grade,
    feedback,
    timemodified: grade === null && feedback === null ? null : when,
    gradingProgress: String(score.gradingProgress),
    activityProgress: String(score.activityProgress),
    timestamp: score.timestamp,
  });
  send(response, 200, '', { 'content-type': `${MEDIA_TYPE.score}; charset=utf-8` });
  return grade === null ? `200 grade cleared (${String(score.gradingProgress)})` : `200 grade ${grade}/${gradeMax} for user ${user.id}`;
}
