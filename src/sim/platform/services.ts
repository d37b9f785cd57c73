import type { ServerResponse } from 'node:http';
import { MEDIA_TYPE, SCOPE } from '../../lti/claims.js';
import { printable } from '../../util/printable.js';
import type { ParsedRequest } from '../http-server.js';
import { acceptsGrades, lineItemUrl } from './launch-message.js';
import { membershipsAnswer } from './memberships.js';
import { scoreAnswer } from './scores.js';
import { checkTool } from './service-auth.js';
import { reasonFor, sendService, type ServiceAnswer, type ServiceContext } from './service-response.js';
import type { LineItem, PlatformState } from './state.js';
import type { PlatformSetup } from './types.js';

interface Resource {
  template: RegExp;
  formats: string[];
  methods: string[];
  execute(ctx: ServiceContext, match: RegExpExecArray): ServiceAnswer;
}

const fail = (code: number, reason?: string): ServiceAnswer => ({ code, ...(reason ? { reason } : {}) });

/** gradebookservices::item_for_json: key order id, label, scoreMaximum, resourceId, tag, resourceLinkId, ltiLinkId. */
function itemJson(setup: PlatformSetup, item: LineItem) {
  return {
    id: lineItemUrl(setup, item.id),
    label: item.label,
    scoreMaximum: item.scoreMaximum,
    resourceId: item.resourceId,
    tag: item.tag,
    ...(item.ltiLinkId !== undefined
      ? { resourceLinkId: String(item.ltiLinkId), ltiLinkId: String(item.ltiLinkId) }
      : {}),
  };
}

function itemsOf(setup: PlatformSetup, state: PlatformState): LineItem[] {
  const { activity } = setup.world;
  const own: LineItem[] = acceptsGrades(setup)
    ? [
        {
          id: activity.gradeItemId,
          label: activity.name,
          scoreMaximum: activity.gradeMax,
          resourceId: '',
          tag: '',
          ltiLinkId: activity.instanceId,
          toolCreated: false,
        },
      ]
    : [];
  return [...own, ...state.lineItems.values()];
}

/** The checks every gradebook resource makes first, in Moodle's order; undefined when they pass. */
function gradebookChecks(
  ctx: ServiceContext,
  courseId: string,
  scopes: string[],
  itemId?: string,
): ServiceAnswer | undefined {
  const refused = checkTool(ctx.setup, ctx.state, ctx.request, scopes);
  if (refused) return refused;
  if (courseId !== String(ctx.setup.world.course.id)) return fail(404, `Not Found: Course ${courseId} doesn't exist`);
  if (itemId !== undefined && !itemsOf(ctx.setup, ctx.state).some((i) => String(i.id) === itemId))
    return fail(404, `Not Found: Grade item ${itemId} doesn't exist`);
  return undefined;
}

/** The line item JSON a tool posted (PUT or POST), with Moodle's checks; the parsed object or the answer to send. */
function postedItem(body: string, missing: string | undefined): Record<string, unknown> | ServiceAnswer {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  if (!json || typeof json !== 'object' || Array.isArray(json) || !('scoreMaximum' in json) || !('label' in json))
    return fail(400, missing);
  const item = json as Record<string, unknown>;
  const max = item.scoreMaximum;
  if (!(typeof max === 'number' || (typeof max === 'string' && max.trim() !== '' && Number.isFinite(Number(max)))))
    return fail(400);
  return item;
}

/**
 * lineitems::get_json_for_get_request's Link header, as Moodle 4.5 sends it: moodle_url::out() escapes "&" as
 * "&amp;", and the rel values are in typographic quotes (rel=“next”), so a client must not insist on rel="next".
 * PHP sends the quotes as UTF-8 bytes; Node writes header strings as latin1, so the UTF-8 bytes go in as latin1
 * characters.
 */
function lineItemsLinks(
  setup: PlatformSetup,
  o: { resourceId: string | null; link: string | null; tag: string | null; limit: number; from: number; total: number },
): string {
  const base = `${setup.wwwroot}/mod/lti/services.php/${setup.world.course.id}/lineitems`;
  const params = [
    ...(o.resourceId !== null ? [`resource_id=${encodeURIComponent(o.resourceId)}`] : []),
    ...(o.link !== null ? [`resource_link_id=${encodeURIComponent(o.link)}`] : []),
    ...(o.tag !== null ? [`tag=${encodeURIComponent(o.tag)}`] : []),
    `type_id=${setup.typeId}`,
    `limit=${o.limit}`,
  ];
  const url = (from: number) => `${base}?${[...params, `from=${from}`].join('&amp;')}`;
  const outOfRange = o.from >= o.total || o.from < 0;
  const next = o.from + o.limit;
  const last = Math.max(0, o.total - o.limit + 1);
  let links = `<${url(0)}>; rel=“first”`;
  if (o.from > 0 && !outOfRange) links += `, <${url(Math.max(0, o.from - o.limit))}>; rel=“prev”`;
  links += `, <${url(o.from)}>; rel=“canonical”`;
  if (next <= o.total - 1 && !outOfRange) links += `, <${url(next)}>; rel=“next”`;
  links += `, <${url(last)}>; rel=“last”`;
  return Buffer.from(links, 'utf8').toString('latin1');
}

const isAnswer = (value: unknown): value is ServiceAnswer => typeof (value as ServiceAnswer).code === 'number';

/**
 * The resources of the services Moodle has, in lti_get_services() order: gradebookservices (element before container),
 * memberships.
 */
const RESOURCES: Resource[] = [
  {
    template: /^\/([^/]+)\/lineitems\/([^/]+)\/lineitem$/,
    formats: [MEDIA_TYPE.lineItem],
    methods: ['GET', 'PUT', 'DELETE'],
    execute(ctx, [, courseId, itemId]) {
      const scopes = ctx.request.method === 'GET' ? [SCOPE.lineItem, SCOPE.lineItemReadonly] : [SCOPE.lineItem];
      const refused = gradebookChecks(ctx, courseId!, scopes, itemId);
      if (refused) return refused;
      const { setup, state } = ctx;
      const item = itemsOf(setup, state).find((i) => String(i.id) === itemId)!;
      if (ctx.request.method === 'GET')
        return { code: 200, body: JSON.stringify(itemJson(setup, item)), contentType: MEDIA_TYPE.lineItem };
      if (ctx.request.method === 'DELETE') {
        if (!item.toolCreated) return fail(403);
        state.lineItems.delete(item.id);
        return { code: 204 };
      }
      const posted = postedItem(ctx.request.body, undefined);
      if (isAnswer(posted)) return posted;
      if (item.toolCreated) {
        state.lineItems.set(item.id, {
          ...item,
          label: String(posted.label),
          scoreMaximum: Number(posted.scoreMaximum),
          resourceId: String(posted.resourceId ?? ''),
          tag: String(posted.tag ?? ''),
        });
      }
      return {
        code: 200,
        body: JSON.stringify({ ...posted, id: lineItemUrl(setup, item.id) }),
        contentType: MEDIA_TYPE.lineItem,
      };
    },
  },
  {
    template: /^\/([^/]+)\/lineitems$/,
    formats: [MEDIA_TYPE.lineItemContainer, MEDIA_TYPE.lineItem],
    methods: ['GET', 'POST'],
    execute(ctx, [, courseId]) {
      const isGet = ctx.request.method === 'GET';
      const type = isGet ? ctx.accept : ctx.contentType;
      const container = type === '' || type === this.formats[0];
      const refused = checkTool(
        ctx.setup,
        ctx.state,
        ctx.request,
        isGet ? [SCOPE.lineItem, SCOPE.lineItemReadonly] : [SCOPE.lineItem],
      );
      if (refused) return refused;
      // A GET wants the container, a POST sends one item; and the type must be one of the resource's.
      if (!(container !== (ctx.request.method === 'POST')) || (type !== '' && !this.formats.includes(type)))
        return fail(400, 'No context or unsupported content type');
      if (courseId !== String(ctx.setup.world.course.id))
        return fail(404, `Not Found: Course ${courseId} doesn't exist`);
      const { setup, state } = ctx;
      const query = ctx.request.url.searchParams;
      if (isGet) {
        const tag = query.get('tag');
        const resourceId = query.get('resource_id');
        const link = query.get('resource_link_id') ?? query.get('lti_link_id');
        const items = itemsOf(setup, state).filter(
          (i) =>
            (tag === null || i.tag === tag) &&
            (resourceId === null || i.resourceId === resourceId) &&
            (link === null || String(i.ltiLinkId) === link),
        );
        const limit = Math.trunc(Number(query.get('limit') ?? 0)) || 0;
        const from = Math.trunc(Number(query.get('from') ?? 0)) || 0;
        const page = limit > 0 ? items.slice(from, from + limit) : items;
        const headers =
          limit > 0
            ? { link: lineItemsLinks(setup, { resourceId, link, tag, limit, from, total: items.length }) }
            : undefined;
        return {
          code: 200,
          body: JSON.stringify(page.map((i) => itemJson(setup, i))),
          contentType: this.formats[0]!,
          ...(headers ? { headers } : {}),
        };
      }
      const posted = postedItem(ctx.request.body, 'No label or Score Maximum');
      if (isAnswer(posted)) return posted;
      const link = posted.resourceLinkId ?? posted.ltiLinkId;
      if (link !== undefined && link !== null && String(link) !== String(setup.world.activity.instanceId))
        return fail(403);
      const item = state.createLineItem({
        label: String(posted.label),
        scoreMaximum: Number(posted.scoreMaximum),
        resourceId: String(posted.resourceId ?? ''),
        tag: String(posted.tag ?? ''),
        ...(link !== undefined && link !== null ? { ltiLinkId: Number(link) } : {}),
        toolCreated: true,
      });
      // Moodle echoes what was posted and adds the id.
      return {
        code: 201,
        body: JSON.stringify({ ...posted, id: lineItemUrl(setup, item.id) }),
        contentType: this.formats[1]!,
      };
    },
  },
  {
    template: /^\/([^/]+)\/lineitems\/([^/]+)\/lineitem\/results$/,
    formats: [MEDIA_TYPE.resultContainer],
    methods: ['GET'],
    execute(ctx, [, courseId, itemId]) {
      const refused = gradebookChecks(ctx, courseId!, [SCOPE.resultReadonly], itemId);
      if (refused) return refused;
      const { setup, state } = ctx;
      const id = Number(itemId);
      const userFilter = ctx.request.url.searchParams.get('user_id');
      const gradeMax = state.lineItems.get(id)?.scoreMaximum ?? setup.world.activity.gradeMax;
      // Key order id, userId, resultScore, resultMaximum, comment, scoreOf, timestamp (date('c')).
      const results = state
        .gradebook()
        .filter((g) => g.itemId === id && g.grade !== null && (userFilter === null || String(g.userId) === userFilter))
        .map((g) => ({
          id: lineItemUrl(setup, id).replace('?', '/results?') + `&user_id=${g.userId}`,
          userId: String(g.userId),
          resultScore: g.grade,
          resultMaximum: gradeMax,
          ...(g.feedback ? { comment: g.feedback } : {}),
          scoreOf: lineItemUrl(setup, id),
          ...(g.timemodified !== null
            ? { timestamp: new Date(g.timemodified * 1000).toISOString().replace(/\.\d{3}Z$/, '+00:00') }
            : {}),
        }));
      return { code: 200, body: JSON.stringify(results), contentType: this.formats[0]! };
    },
  },
  {
    template: /^\/([^/]+)\/lineitems\/([^/]+)\/lineitem\/scores$/,
    formats: [MEDIA_TYPE.scoreContainer, MEDIA_TYPE.score],
    methods: ['POST'],
    execute(ctx, [, courseId, itemId]) {
      const refused = gradebookChecks(ctx, courseId!, [SCOPE.score]);
      if (refused) return refused;
      if (ctx.contentType !== MEDIA_TYPE.score) return fail(400, 'No context or unsupported content type');
      if (!itemsOf(ctx.setup, ctx.state).some((i) => String(i.id) === itemId))
        return fail(404, `Not Found: Grade item ${itemId} doesn't exist`);
      return scoreAnswer(ctx, Number(itemId));
    },
  },
  {
    template: /^\/([^/]+)\/([^/]+)\/bindings\/([^/]+)\/memberships$/,
    formats: [MEDIA_TYPE.membershipContainerV1, MEDIA_TYPE.membershipContainer],
    methods: ['GET'],
    execute(ctx, [, , courseId]) {
      if (!ctx.setup.settings.services.nrps) return fail(401);
      const refused = checkTool(ctx.setup, ctx.state, ctx.request, [SCOPE.nrps]);
      if (refused) return refused;
      return membershipsAnswer(ctx, courseId!);
    },
  },
];

/**
 * /mod/lti/services.php/… as services.php routes it: the first resource whose formats and template fit, then its
 * methods.
 */
export function handleServices(
  setup: PlatformSetup,
  state: PlatformState,
  request: ParsedRequest,
  response: ServerResponse,
  pathInfo: string,
): string {
  const isGet = request.method === 'GET';
  const isDelete = request.method === 'DELETE';
  const accept = isGet ? String(request.headers.accept ?? '') : '';
  const contentType = isGet ? '' : request.contentType.split(';')[0]!;
  const ctx: ServiceContext = { setup, state, request, accept, contentType };
  for (const resource of RESOURCES) {
    if (
      (isGet && accept !== '' && !accept.includes('*/*') && !resource.formats.includes(accept)) ||
      (!isGet && !isDelete && !resource.formats.includes(contentType))
    )
      continue;
    const match = resource.template.exec(pathInfo);
    if (!match) continue;
    const answer = resource.methods.includes(request.method) ? resource.execute(ctx, match) : fail(405);
    return answered(state, request, sendService(response, request, answer), answer);
  }
  const unrouted = fail(400, `No handler found for ${pathInfo} ${accept} ${contentType}`);
  return answered(state, request, sendService(response, request, unrouted), unrouted);
}

/** A refusal other than the 401 (kept with its reason by checkTool) is kept as the status and reason Moodle sent. */
function answered(state: PlatformState, request: ParsedRequest, note: string, answer: ServiceAnswer): string {
  if (answer.code >= 400 && answer.code !== 401) {
    state.refuse({
      at: state.now(),
      endpoint: 'services',
      status: answer.code,
      said:
        `the tool called ${request.method} ${printable(request.url.pathname, 200)}, ` +
        `and Moodle answered ${answer.code} ${printable(reasonFor(answer.code, answer.reason), 300)}`,
    });
  }
  return note;
}
