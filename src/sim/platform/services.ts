import type { ServerResponse } from 'node:http';
import { MEDIA_TYPE, SCOPE } from '../../lti/claims.js';
import { sendJson, type ParsedRequest } from '../http-server.js';
import { acceptsGrades, lineItemUrl } from './launch-message.js';
import { handleMemberships } from './memberships.js';
import { handleScore } from './scores.js';
import { checkBearer, serviceError } from './service-auth.js';
import type { LineItem, PlatformState } from './state.js';
import type { PlatformSetup } from './types.js';

/** GET matches when Accept is absent, contains *\/*, or is exactly one of the resource's formats. */
function acceptMatches(request: ParsedRequest, formats: string[]): boolean {
  const accept = String(request.headers.accept ?? '').trim();
  return accept === '' || accept.includes('*/*') || formats.includes(accept);
}

function formatMatches(request: ParsedRequest, formats: string[]): boolean {
  return formats.includes(request.contentType.split(';')[0]!);
}

function lineItemJson(setup: PlatformSetup, item: LineItem) {
  return {
    id: lineItemUrl(setup, item.id),
    label: item.label,
    scoreMaximum: item.scoreMaximum,
    ...(item.resourceId ? { resourceId: item.resourceId } : {}),
    tag: item.tag,
    ...(item.ltiLinkId !== undefined ? { resourceLinkId: String(item.ltiLinkId), ltiLinkId: String(item.ltiLinkId) } : {}),
  };
}

function itemsOf(setup: PlatformSetup, state: PlatformState): LineItem[] {
  const { activity } = setup.world;
  const own: LineItem[] = acceptsGrades(setup)
    ? [{ id: activity.gradeItemId, label: activity.name, scoreMaximum: activity.gradeMax, resourceId: '', tag: '', ltiLinkId: activity.instanceId, toolCreated: false }]
    : [];
  return [...own, ...state.lineItems.values()];
}

/** /mod/lti/services.php/... routed on PATH_INFO, as Moodle's services.php (facts C). */
export function handleServices(setup: PlatformSetup, state: PlatformState, request: ParsedRequest, response: ServerResponse, pathInfo: string): string {
  const { method } = request;
  let m: RegExpExecArray | null;
  const noHandler = () => serviceError(response, request, 400, `No handler found for ${pathInfo} ${request.contentType || String(request.headers.accept ?? '')}`.trim());

  if ((m = /^\/(\d+)\/lineitems\/(\d+)\/lineitem\/scores$/.exec(pathInfo))) {
    if (method !== 'POST' || !formatMatches(request, [MEDIA_TYPE.scoreContainer, MEDIA_TYPE.score])) return noHandler();
    return handleScore(setup, state, request, response, m[1]!, m[2]!);
  }
  if ((m = /^\/(\d+)\/lineitems\/(\d+)\/lineitem\/results$/.exec(pathInfo))) {
    if (method !== 'GET' || !acceptMatches(request, [MEDIA_TYPE.resultContainer])) return noHandler();
    const denied = checkBearer(setup, state, request, response, [SCOPE.resultReadonly]);
    if (denied) return denied;
    const id = Number(m[2]);
    const userFilter = request.url.searchParams.get('user_id');
    // Moodle's results service: key order id, userId, resultScore, resultMaximum, comment, scoreOf, timestamp (date('c')).
    const results = state.gradebook().filter((g) => g.itemId === id && g.grade !== null && (userFilter === null || String(g.userId) === userFilter)).map((g) => ({
      id: `${lineItemUrl(setup, id).replace('?', `/results?user_id=${g.userId}&`)}`,
      userId: String(g.userId), resultScore: g.grade, resultMaximum: setup.world.activity.gradeMax,
      ...(g.feedback ? { comment: g.feedback } : {}), scoreOf: lineItemUrl(setup, id),
      ...(g.timemodified !== null ? { timestamp: new Date(g.timemodified * 1000).toISOString().replace(/\.\d{3}Z$/, '+00:00') } : {}),
    }));
    sendJson(response, 200, results, `${MEDIA_TYPE.resultContainer}; charset=utf-8`);
    return `200 ${results.length} results`;
  }
  if ((m = /^\/(\d+)\/lineitems\/(\d+)\/lineitem$/.exec(pathInfo))) {
    if (method !== 'GET' || !acceptMatches(request, [MEDIA_TYPE.lineItem])) return noHandler();
    const denied = checkBearer(setup, state, request, response, [SCOPE.lineItem, SCOPE.lineItemReadonly]);
    if (denied) return denied;
    const item = itemsOf(setup, state).find((i) => i.id === Number(m![2]));
    if (!item) return serviceError(response, request, 404, 'Line item does not exist');
    sendJson(response, 200, lineItemJson(setup, item), `${MEDIA_TYPE.lineItem}; charset=utf-8`);
    return '200 line item';
  }
  if ((m = /^\/(\d+)\/lineitems$/.exec(pathInfo))) {
    const formats = [MEDIA_TYPE.lineItemContainer, MEDIA_TYPE.lineItem];
    if (method === 'GET' && acceptMatches(request, formats)) {
      const denied = checkBearer(setup, state, request, response, [SCOPE.lineItem, SCOPE.lineItemReadonly]);
      if (denied) return denied;
      const items = itemsOf(setup, state).map((i) => lineItemJson(setup, i));
      sendJson(response, 200, items, `${MEDIA_TYPE.lineItemContainer}; charset=utf-8`);
      return `200 ${items.length} line items`;
    }
    if (method === 'POST' && formatMatches(request, formats)) {
      const denied = checkBearer(setup, state, request, response, [SCOPE.lineItem]);
      if (denied) return denied;
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(request.body) as Record<string, unknown>;
      } catch {
        return serviceError(response, request, 400, 'Incorrect payload received for line item');
      }
      if (typeof body.label !== 'string' || !(Number(body.scoreMaximum) > 0)) return serviceError(response, request, 400, 'Incorrect payload received for line item');
      const item = state.createLineItem({
        label: body.label, scoreMaximum: Number(body.scoreMaximum), resourceId: String(body.resourceId ?? ''), tag: String(body.tag ?? ''),
        ...(body.resourceLinkId !== undefined ? { ltiLinkId: Number(body.resourceLinkId) } : {}), toolCreated: true,
      });
      sendJson(response, 201, lineItemJson(setup, item), `${MEDIA_TYPE.lineItem}; charset=utf-8`);
      return `201 line item ${item.id} created`;
    }
    return noHandler();
  }
  if ((m = /^\/CourseSection\/(\d+)\/bindings\/(\d+)\/memberships$/.exec(pathInfo))) {
    if (method !== 'GET' || !acceptMatches(request, [MEDIA_TYPE.membershipContainerV1, MEDIA_TYPE.membershipContainer])) return noHandler();
    if (!setup.settings.services.nrps) return serviceError(response, request, 401, 'Unauthorized');
    const denied = checkBearer(setup, state, request, response, [SCOPE.nrps]);
    if (denied) return denied;
    return handleMemberships(setup, request, response, m[1]!);
  }
  return noHandler();
}
