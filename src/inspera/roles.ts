import { ROLE } from '../lti/claims.js';

export interface RoleExplanation {
  input: string;
  kind: 'lti' | 'inspera' | 'unknown';
  meaning: string;
}

const LTI_ROLES: Array<{ match: (r: string) => boolean; meaning: string }> = [
  {
    match: (r) => r === ROLE.learner || /membership#Learner$|^Learner$/i.test(r),
    meaning:
      'Learner → an Inspera candidate: takes the test (enrolled automatically with NRPS and enroll_candidates=true)',
  },
  {
    match: (r) => r === ROLE.instructor || /membership#Instructor$|^Instructor$/i.test(r),
    meaning:
      'Instructor → an Inspera staff user (contributor); Moodle sends ' +
      'it to editing and non-editing teachers and managers ' +
      '(mod/lti:manage)',
  },
  {
    match: (r) => /system\/person#Administrator$|institution\/person#Administrator$|^Administrator$/i.test(r),
    meaning:
      'Administrator (system/institution) → a Moodle site admin; ' +
      'Inspera uses context roles only, so this adds nothing beyond ' +
      'Instructor',
  },
  {
    match: (r) => /TeachingAssistant|ContentDeveloper|Mentor/i.test(r),
    meaning:
      'not sent by Moodle (it only sends Learner, Instructor and Administrator); how Inspera maps it is not documented',
  },
];

/** Inspera's landing-page rule as its Moodle article states it: the first matching rule wins. */
const LANDING_RULES: ReadonlyArray<{ roles: string[]; landing: string }> = [
  { roles: ['Planner'], landing: 'Deliver, Monitor & Grade' },
  { roles: ['Chief invigilator', 'Invigilator'], landing: 'Deliver & Monitor' },
  { roles: ['Grader'], landing: 'Grade & Monitor' },
  { roles: ['Reporter'], landing: 'Report' },
];

const INSPERA_ROLES = [
  'Administrator',
  'Planner',
  'Proctoring Scheduler',
  'Template administrator',
  'Chief invigilator',
  'Author',
  'Invigilator',
  'Grader',
  'Reporter',
  'Candidate',
];

export function explainRole(input: string): RoleExplanation {
  const role = input.trim();
  const inspera = INSPERA_ROLES.find((r) => r.toLowerCase() === role.toLowerCase());
  if (inspera && !/^Administrator$/i.test(role)) {
    const rule = LANDING_RULES.find((r) => r.roles.some((x) => x.toLowerCase() === role.toLowerCase()));
    return {
      input,
      kind: 'inspera',
      meaning:
        inspera === 'Candidate'
          ? 'Candidate: the test-taker (LTI Learner)'
          : `Inspera role ${inspera}` +
            (rule ? ` → lands in ${rule.landing}` : ' — not part of the documented landing-page rule'),
    };
  }
  const lti = LTI_ROLES.find((r) => r.match(role));
  if (lti) return { input, kind: 'lti', meaning: lti.meaning };
  return {
    input,
    kind: 'unknown',
    meaning: `not an LTI role Moodle sends nor an Inspera role (${INSPERA_ROLES.join(', ')})`,
  };
}

/** Where a staff user with these Inspera roles lands: the first matching rule. */
export function landingPage(roles: readonly string[]): string | undefined {
  const lower = roles.map((r) => r.toLowerCase());
  return LANDING_RULES.find((rule) => rule.roles.some((r) => lower.includes(r.toLowerCase())))?.landing;
}
