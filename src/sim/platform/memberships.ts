import { CLAIM, MEDIA_TYPE } from '../../lti/claims.js';
import { acceptsGrades, buildSourcedId, membershipsUrl } from './launch-message.js';
import type { ServiceAnswer, ServiceContext } from './service-response.js';
import type { MoodleUser } from '../world.js';
import type { PlatformSetup } from './types.js';

const ROLE_PREFIX = 'http://purl.imsglobal.org/vocab/lis/v2/membership#';

/** lti_get_ims_role($userid, null, $courseid, true): the short names NRPS carries (the id_token has URIs). */
function shortRoles(user: MoodleUser): string[] {
  return [user.persona === 'learner' ? 'Learner' : 'Instructor'];
}

/**
 * services.php …/memberships (mod/lti/service/memberships, users_to_json): the v2 container, members keyed status,
 * roles, user_id, lis_person_sourcedid, then name, given_name, family_name, email, ext_user_username as privacy
 * allows; `role` filters (Learner leaves out anyone who can grade), `limit`/`from` page with a Link rel="next", `rlid`
 * names the activity (unknown → 404) and adds to each member the message a launch of it would carry. The v1
 * container Accept gets the LIS v2 JSON-LD container (users_to_jsonld).
 */
/**
 * users_to_jsonld: the LIS v2 container, for a tool that asks for it (Accept:
 * application/vnd.ims.lis.v2.membershipcontainer+json).
 */
function jsonLd(
  setup: PlatformSetup,
  users: MoodleUser[],
  o: { shareName: boolean; shareEmail: boolean; rlid: string; more: boolean; limit: number; from: number },
): ServiceAnswer {
  const endpoint = membershipsUrl(setup);
  const membership = users.map((u) => ({
    status: 'Active',
    role: shortRoles(u),
    ...(o.rlid
      ? {
          message: [
            {
              message_type: 'basic-lti-launch-request',
              ...(acceptsGrades(setup) ? { lis_result_sourcedid: JSON.stringify(buildSourcedId(setup, u.id)) } : {}),
            },
          ],
        }
      : {}),
    member: {
      '@type': 'LISPerson',
      userId: String(u.id),
      sourcedId: u.idnumber,
      ...(o.shareName
        ? { name: `${u.givenName} ${u.familyName}`, givenName: u.givenName, familyName: u.familyName }
        : {}),
      ...(o.shareEmail ? { email: u.email } : {}),
      ...(o.shareName ? { ext_user_username: u.username } : {}),
    },
  }));
  const page = {
    '@context': 'http://purl.imsglobal.org/ctx/lis/v2/MembershipContainer',
    '@type': 'Page',
    '@id': endpoint,
    pageOf: {
      '@type': 'LISMembershipContainer',
      membershipSubject: { '@type': 'Context', contextId: String(setup.world.course.id), membership },
    },
    ...(o.more
      ? { nextPage: `${endpoint}?limit=${o.limit}&from=${o.from + o.limit}${o.rlid ? `&rlid=${o.rlid}` : ''}` }
      : {}),
  };
  return {
    code: 200,
    body: JSON.stringify(page),
    contentType: MEDIA_TYPE.membershipContainerV1,
    note: `200 ${membership.length} members (JSON-LD)`,
  };
}

export function membershipsAnswer(ctx: ServiceContext, courseId: string): ServiceAnswer {
  const { setup, request } = ctx;
  const { course, activity } = setup.world;
  if (courseId !== String(course.id)) return { code: 404, reason: `Not Found: Course ${courseId} doesn't exist` };
  const params = request.url.searchParams;
  const rlid = params.get('rlid') ?? '';
  if (rlid && rlid !== String(activity.instanceId))
    return { code: 404, reason: `Not Found: LTI link ${rlid} doesn't exist` };
  let role = params.get('role') ?? '';
  if (role && !/^https?:\/\//.test(role)) role = ROLE_PREFIX + role;
  const limit = Math.max(0, Math.trunc(Number(params.get('limit') ?? 0)) || 0);
  const from = limit > 0 ? Math.max(0, Math.trunc(Number(params.get('from') ?? 0)) || 0) : 0;
  const enrolled = setup.world.users.filter((u) => u.persona !== 'admin');
  const users =
    role === `${ROLE_PREFIX}Instructor`
      ? enrolled.filter((u) => u.persona === 'instructor')
      : role === `${ROLE_PREFIX}Learner`
        ? enrolled.filter((u) => u.persona !== 'instructor')
        : enrolled;
  const shareName = setup.settings.privacy.shareName === 'always';
  const shareEmail = setup.settings.privacy.shareEmail === 'always';
  const page = limit > 0 ? users.slice(from, from + limit) : users;
  const more = limit > 0 && users.length > from + limit;
  if (ctx.accept === MEDIA_TYPE.membershipContainerV1)
    return jsonLd(setup, page, { shareName, shareEmail, rlid, more, limit, from });
  const withMessage = rlid !== '';
  const members = page.map((u) => ({
    status: 'Active',
    roles: shortRoles(u),
    // With rlid: the message a launch of that link would carry, with its result sourcedid.
    ...(withMessage
      ? {
          message: [
            {
              [CLAIM.messageType]: 'LtiResourceLinkRequest',
              ...(acceptsGrades(setup)
                ? {
                    [CLAIM.basicOutcome]: {
                      lis_result_sourcedid: JSON.stringify(buildSourcedId(setup, u.id)),
                      lis_outcome_service_url: `${setup.wwwroot}/mod/lti/service.php`,
                    },
                  }
                : {}),
            },
          ],
        }
      : {}),
    user_id: String(u.id),
    lis_person_sourcedid: u.idnumber,
    ...(shareName
      ? { name: `${u.givenName} ${u.familyName}`, given_name: u.givenName, family_name: u.familyName }
      : {}),
    ...(shareEmail ? { email: u.email } : {}),
    ...(shareName ? { ext_user_username: u.username } : {}),
  }));
  const endpoint = membershipsUrl(setup).split('?')[0]!;
  const headers: Record<string, string> = {};
  if (more)
    headers.link = `<${endpoint}?limit=${limit}&from=${from + limit}${rlid ? `&rlid=${rlid}` : ''}>; rel="next"`;
  return {
    code: 200,
    headers,
    contentType: MEDIA_TYPE.membershipContainer,
    note: `200 ${members.length} members${more ? ' (more: Link next)' : ''}`,
    body: JSON.stringify({
      id: endpoint,
      context: { id: String(course.id), label: course.shortname, title: course.fullname },
      members,
    }),
  };
}
