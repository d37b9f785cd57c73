import { createHash, randomBytes } from 'node:crypto';
import { CLAIM, ROLE, type JsonObject } from '../../lti/claims.js';
import { buildCustomClaim, type Substitutions } from '../../moodle/custom-parameters.js';
import { agsClaimScopes } from '../../moodle/scopes.js';
import { LAUNCH_CONTAINERS } from '../../moodle/settings.js';
import type { MoodleUser } from '../world.js';
import type { PlatformSetup } from './types.js';
import { randomBuffer } from '../../util/random.js';

/** Whether "Accept grades from the tool" is in force for the activity (then it has its own grade item). */
export function acceptsGrades(setup: PlatformSetup): boolean {
  const choice = setup.settings.privacy.acceptGrades;
  return choice === 'always' || (choice === 'delegate' && setup.world.activity.acceptGradesTicked);
}

/** Always, or Delegate with the activity's checkbox ticked (lti_build_request). */
function shares(choice: string, ticked: boolean): boolean {
  return choice === 'always' || (choice === 'delegate' && ticked);
}

function lineItemsUrl(setup: PlatformSetup): string {
  return `${setup.wwwroot}/mod/lti/services.php/${setup.world.course.id}/lineitems?type_id=${setup.typeId}`;
}

export function lineItemUrl(setup: PlatformSetup, itemId: number): string {
  return (
    `${setup.wwwroot}/mod/lti/services.php/${setup.world.course.id}/lineitems/${itemId}` +
    `/lineitem?type_id=${setup.typeId}`
  );
}

export function membershipsUrl(setup: PlatformSetup): string {
  return (
    `${setup.wwwroot}/mod/lti/services.php/CourseSection/${setup.world.course.id}` +
    `/bindings/${setup.typeId}/memberships`
  );
}

/** The activity's servicesalt (uniqid in Moodle): one per platform run here. */
const SERVICE_SALT = randomBytes(7).toString('hex').slice(0, 13);

/** lti_build_sourcedid: {instanceid, userid, typeid, launchid: mt_rand()} and sha256(json . servicesalt). */
export function buildSourcedId(
  setup: PlatformSetup,
  userId: number,
): { data: Record<string, string | number>; hash: string } {
  const data = {
    instanceid: String(setup.world.activity.instanceId),
    userid: String(userId),
    typeid: setup.typeId,
    launchid: randomBuffer(4).readUInt32BE() >>> 1,
  };
  return {
    data,
    hash: createHash('sha256')
      .update(JSON.stringify(data) + SERVICE_SALT)
      .digest('hex'),
  };
}

function rolesFor(user: MoodleUser): string[] {
  if (user.persona === 'admin') return [ROLE.institutionAdmin, ROLE.instructor, ROLE.systemAdmin].sort();
  return [user.persona === 'instructor' ? ROLE.instructor : ROLE.learner];
}

/**
 * The id_token payload Moodle's lti_build_request/lti_build_standard_message produce for a resource-link launch
 * (facts B), in Moodle's claim order.
 */
export function buildLaunchPayload(
  setup: PlatformSetup,
  user: MoodleUser,
  nonce: string,
  now: number,
  sesskey: string,
): JsonObject {
  const { world, settings } = setup;
  const { course, activity } = world;
  const shareName = shares(settings.privacy.shareName, activity.shareNameTicked);
  const shareEmail = shares(settings.privacy.shareEmail, activity.shareEmailTicked);
  const container = LAUNCH_CONTAINERS[settings.launchContainer];
  const substitutions: Substitutions = {
    '$User.id': String(user.id),
    // Not gated by the name privacy setting in Moodle.
    '$User.username': user.username,
    '$Person.name.given': shareName ? user.givenName : null,
    '$Person.name.family': shareName ? user.familyName : null,
    '$Person.name.full': shareName ? `${user.givenName} ${user.familyName}` : null,
    '$Person.email.primary': shareEmail ? user.email : null,
    '$Person.sourcedId': user.idnumber,
    '$Context.id': String(course.id),
    '$Context.title': course.fullname,
    '$Context.label': course.shortname,
    '$Context.sourcedId': course.idnumber,
    '$ResourceLink.id': String(activity.instanceId),
    '$ResourceLink.title': activity.name,
    '$ResourceLink.description': activity.intro,
    // For a course the section is the course itself.
    // The course summary: the simulated course has none.
    '$Context.longDescription': '',
    '$CourseSection.title': course.fullname,
    '$CourseSection.label': course.shortname,
    '$CourseSection.sourcedId': course.idnumber,
    '$CourseSection.longDescription': '',
    '$Membership.role': user.persona === 'learner' ? 'Learner' : 'Instructor',
    '$Moodle.Person.userGroupIds': '',
    '$LineItems.url': lineItemsUrl(setup),
  };
  const custom = buildCustomClaim(setup.tool.customParameters, activity.customParameters, substitutions);
  if (settings.services.nrps) custom.context_memberships_url = membershipsUrl(setup);

  const payload: JsonObject = {
    nonce,
    iat: now,
    exp: now + 60,
    iss: setup.wwwroot,
    aud: setup.clientId,
    [CLAIM.deploymentId]: setup.typeId,
    [CLAIM.targetLinkUri]: setup.tool.toolUrl,
    sub: String(user.id),
    [CLAIM.lis]: { person_sourcedid: user.idnumber, course_section_sourcedid: course.idnumber },
    [CLAIM.roles]: rolesFor(user),
    [CLAIM.context]: {
      id: String(course.id),
      label: course.shortname,
      title: course.fullname,
      type: ['CourseSection'],
    },
    [CLAIM.messageType]: 'LtiResourceLinkRequest',
    [CLAIM.resourceLink]: {
      title: activity.name,
      description: activity.intro.replace(/\n/g, '\r\n'),
      id: String(activity.instanceId),
    },
  };
  if (acceptsGrades(setup)) {
    payload[CLAIM.basicOutcome] = {
      lis_result_sourcedid: JSON.stringify(buildSourcedId(setup, user.id)),
      lis_outcome_service_url: `${setup.wwwroot}/mod/lti/service.php`,
    };
  }
  if (shareName)
    Object.assign(payload, {
      given_name: user.givenName,
      family_name: user.familyName,
      name: `${user.givenName} ${user.familyName}`,
    });
  // The ext claim is made where its first ext_ parameter was: ext_user_username (with the name), else ext_lms later.
  if (shareName) payload[CLAIM.ext] = { user_username: user.username, lms: 'moodle-2' };
  if (shareEmail) payload.email = user.email;
  payload[CLAIM.launchPresentation] = {
    locale: 'en',
    document_target: container.documentTarget,
    return_url:
      `${setup.wwwroot}/mod/lti/return.php?course=${course.id}` +
      `&launch_container=${container.moodleValue}&instanceid=${activity.instanceId}&sesskey=${sesskey}`,
  };
  if (!shareName) payload[CLAIM.ext] = { lms: 'moodle-2' };
  payload[CLAIM.toolPlatform] = {
    product_family_code: 'moodle',
    version: world.moodle.version,
    // The form default "Default organisation ID = Site ID" sends md5(site identifier); ours is derived from wwwroot.
    guid: createHash('md5').update(setup.wwwroot).digest('hex'),
    name: world.siteName,
    description: world.siteFullName,
  };
  payload[CLAIM.version] = '1.3.0';
  if (Object.keys(custom).length) payload[CLAIM.custom] = custom;
  if (settings.services.ags !== 'off') {
    payload[CLAIM.ags] = {
      scope: agsClaimScopes(settings),
      lineitems: lineItemsUrl(setup),
      ...(acceptsGrades(setup) ? { lineitem: lineItemUrl(setup, activity.gradeItemId) } : {}),
    };
  }
  if (settings.services.nrps) {
    payload[CLAIM.nrps] = { context_memberships_url: membershipsUrl(setup), service_versions: ['1.0', '2.0'] };
  }
  return payload;
}
