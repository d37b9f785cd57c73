import { cause } from '../core/causes.js';
import type { CheckResult } from '../core/result.js';
import { CLAIM, ROLE, type JsonObject } from '../lti/claims.js';

const MOODLE_TOOL =
  'Moodle: Site administration > Plugins > Activity modules > External tool > Manage tools > (edit the Inspera tool)';

/**
 * What Inspera needs from a launch beyond LTI validity (facts E.2, E.5, F.7, F.18, F.21, F.22): these are warnings
 * — the launch works, but a feature will not.
 */
export function insperaExpectations(payload: JsonObject): CheckResult[] {
  const results: CheckResult[] = [];
  const roles = Array.isArray(payload[CLAIM.roles]) ? (payload[CLAIM.roles] as string[]) : [];
  const learner = roles.includes(ROLE.learner);
  const staff =
    roles.includes(ROLE.instructor) || roles.includes(ROLE.systemAdmin) || roles.includes(ROLE.institutionAdmin);
  results.push({
    id: 'inspera.role',
    title: 'Inspera role',
    status: roles.length ? 'pass' : 'warn',
    ...(roles.length ? {} : { cause: { id: 'token-claims' } }),
    finding: learner
      ? 'Learner → Inspera candidate'
      : staff
        ? 'Instructor → Inspera staff user (contributor), lands in Deliver'
        : 'no Learner or Instructor role: Inspera cannot tell candidate from staff',
  });
  const hasName = typeof payload.name === 'string' || typeof payload.given_name === 'string';
  results.push(
    hasName
      ? { id: 'inspera.name', title: 'Name shared', status: 'pass', finding: 'given_name/family_name/name present' }
      : {
          id: 'inspera.name',
          title: 'Name shared',
          status: 'warn',
          faq: 'F.21',
          cause: { id: 'privacy' },
          finding:
            'no name claims: "Share launcher\'s name with tool" is not Always, so Inspera gets no names or user names',
          fix: {
            system: 'Moodle',
            where: `${MOODLE_TOOL} > Privacy`,
            field: "Share launcher's name with tool",
            value: 'Always',
            action: 'choose Always',
          },
        },
  );
  results.push(
    typeof payload.email === 'string'
      ? { id: 'inspera.email', title: 'Email shared', status: 'pass', finding: 'email present' }
      : {
          id: 'inspera.email',
          title: 'Email shared',
          status: 'warn',
          faq: 'F.21',
          cause: { id: 'privacy' },
          finding: 'no email claim: "Share launcher\'s email with tool" is not Always (BY_EMAIL resolvers cannot work)',
          fix: {
            system: 'Moodle',
            where: `${MOODLE_TOOL} > Privacy`,
            field: "Share launcher's email with tool",
            value: 'Always',
            action: 'choose Always',
          },
        },
  );
  const nrps = payload[CLAIM.nrps] as JsonObject | undefined;
  const custom = (payload[CLAIM.custom] as JsonObject | undefined) ?? {};
  if (!nrps) {
    results.push({
      id: 'inspera.nrps',
      title: 'Candidate auto-enrolment (NRPS)',
      status: 'warn',
      faq: 'F.22',
      cause: { id: 'nrps-off' },
      finding:
        'no Names and Role Provisioning claim: Inspera cannot fetch the ' +
        'course members, so candidates are not enrolled automatically',
      fix: {
        system: 'Moodle',
        where: `${MOODLE_TOOL} > Services`,
        field: 'IMS LTI Names and Role Provisioning',
        value: "Use this service to retrieve members' information as per privacy settings",
        action: 'turn the service on',
      },
    });
  } else if (custom.enroll_candidates !== 'true') {
    results.push({
      id: 'inspera.nrps',
      title: 'Candidate auto-enrolment (NRPS)',
      status: 'warn',
      faq: 'F.22',
      cause: { id: 'nrps-off' },
      finding:
        'NRPS is on but custom parameter enroll_candidates=true is not sent, so Inspera does not enrol candidates',
      fix: {
        system: 'Moodle',
        where: `${MOODLE_TOOL} > Tool settings`,
        field: 'Custom parameters',
        value: 'enroll_candidates=true',
        action: 'add the line',
      },
    });
  } else {
    results.push({
      id: 'inspera.nrps',
      title: 'Candidate auto-enrolment (NRPS)',
      status: 'pass',
      finding: 'NRPS claim and enroll_candidates=true present',
    });
  }
  const ags = payload[CLAIM.ags] as JsonObject | undefined;
  if (!ags) {
    results.push({
      id: 'inspera.ags',
      title: 'Marks back to Moodle (AGS)',
      status: 'warn',
      faq: 'F.18',
      cause: { id: 'ags-off' },
      finding: 'no Assignment and Grade Services claim: Inspera cannot send marks to the Moodle gradebook',
      fix: cause('ags-off').fix,
    });
  } else if (typeof ags.lineitem !== 'string' || ags.lineitem === '') {
    results.push({
      id: 'inspera.ags',
      title: 'Marks back to Moodle (AGS)',
      status: 'warn',
      faq: 'F.18',
      cause: { id: 'accept-grades' },
      finding:
        'the AGS claim has no lineitem: the activity has no grade item ' +
        'because "Accept grades from the tool" is not in force',
      fix: {
        system: 'Moodle',
        where: `${MOODLE_TOOL} > Privacy`,
        field: 'Accept grades from the tool',
        value: 'Always',
        action: 'choose Always',
      },
    });
  } else {
    results.push({
      id: 'inspera.ags',
      title: 'Marks back to Moodle (AGS)',
      status: 'pass',
      finding: 'AGS claim with a lineitem',
    });
  }
  const presentation = payload[CLAIM.launchPresentation] as JsonObject | undefined;
  if (presentation?.document_target === 'iframe') {
    results.push({
      id: 'inspera.iframe',
      title: 'Launch container',
      status: 'warn',
      faq: 'F.7',
      cause: { id: 'state-cookie' },
      finding:
        "launched inside an iframe: Safari, private windows and strict cookie settings drop the tool's state cookie",
      fix: {
        system: 'Moodle',
        where: `${MOODLE_TOOL} > Tool settings`,
        field: 'Default launch container',
        value: 'New window',
        action: 'choose New window',
      },
    });
  }
  return results;
}
