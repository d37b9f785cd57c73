import type { ServerResponse } from 'node:http';
import { MEDIA_TYPE } from '../../lti/claims.js';
import { send, type ParsedRequest } from '../http-server.js';
import { membershipsUrl } from './launch-message.js';
import { serviceError } from './service-auth.js';
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
 * names the activity (unknown → 404). The v1 container Accept gets this v2 JSON too (Moodle answers JSON-LD then: a
 * difference the README lists).
 */
export function handleMemberships(setup: PlatformSetup, request: ParsedRequest, response: ServerResponse, courseId: string): string {
  const { course, activity } = setup.world;
  if (courseId !== String(course.id)) return serviceError(response, request, 404, `Not Found: Course ${courseId} doesn't exist`);
  const params = request.url.searchParams;
  const rlid = params.get('rlid') ?? '';
  if (rlid && rlid !== String(activity.instanceId)) return serviceError(response, request, 404, `Not Found: LTI link ${rlid} doesn't exist`);
  let role = params.get('role') ?? '';
  if (role && !/^https?:\/\//.test(role)) role = ROLE_PREFIX + role;
  const limit = Math.max(0, Math.trunc(Number(params.get('limit') ?? 0)) || 0);
  const from = limit > 0 ? Math.max(0, Math.trunc(Number(params.get('from') ?? 0)) || 0) : 0;
  const enrolled = setup.world.users.filter((u) => u.persona !== 'admin');
  const users = role === `${ROLE_PREFIX}Instructor` ? enrolled.filter((u) => u.persona === 'instructor')
    : role === `${ROLE_PREFIX}Learner` ? enrolled.filter((u) => u.persona !== 'instructor') : enrolled;
  const shareName = setup.settings.privacy.shareName === 'always';
  const shareEmail = setup.settings.privacy.shareEmail === 'always';
  const page = limit > 0 ? users.slice(from, from + limit) : users;
  const more = limit > 0 && users.length > from + limit;
  const members = page.map((u) => ({
    status: 'Active',
    roles: shortRoles(u),
    user_id: String(u.id),
    lis_person_sourcedid: u.idnumber,
    ...(shareName ? { name: `${u.givenName} ${u.familyName}`, given_name: u.givenName, family_name: u.familyName } : {}),
    ...(shareEmail ? { email: u.email } : {}),
    ...(shareName ? { ext_user_username: u.username } : {}),
  }));
  const endpoint = membershipsUrl(setup).split('?')[0]!;
  const headers: Record<string, string> = { 'content-type': MEDIA_TYPE.membershipContainer };
  if (more) headers.link = `<${endpoint}?limit=${limit}&from=${from + limit}${rlid ? `&rlid=${rlid}` : ''}>; rel="next"`;
  send(response, 200, JSON.stringify({ id: endpoint, context: { id: String(course.id), label: course.shortname, title: course.fullname }, members }), headers);
  return `200 ${members.length} members${more ? ' (more: Link next)' : ''}`;
}
