import { closest } from '../util/suggest.js';

/**
 * Inspera's documented custom parameters (facts E.3). All default to false; tool-level ones win over activity-level.
 */
export interface KnownParameter {
  name: string;
  /** What Inspera does with it, in a person's words. */
  meaning: string;
  /** Accepted values; undefined = free text (a date, an id). */
  values?: readonly string[];
  requiresNrps?: boolean;
  recommended?: boolean;
}

const BOOLEAN = ['true', 'false'] as const;

export const INSPERA_PARAMETERS: readonly KnownParameter[] = [
  {
    name: 'enroll_candidates',
    values: BOOLEAN,
    requiresNrps: true,
    recommended: true,
    meaning: 'enrol every course member with the Learner role as a candidate on the Inspera test (needs NRPS)',
  },
  {
    name: 'remove_candidates',
    values: BOOLEAN,
    requiresNrps: true,
    meaning: 'remove candidates who are no longer in the course membership (needs NRPS)',
  },
  {
    name: 'enroll_contributors',
    values: BOOLEAN,
    requiresNrps: true,
    meaning: 'enrol teachers/instructors as contributors on the test (needs NRPS)',
  },
  {
    name: 'remove_contributors',
    values: BOOLEAN,
    requiresNrps: true,
    meaning: 'remove contributors who left the course or were added by hand in Inspera (needs NRPS)',
  },
  {
    name: 'use_ia_as_admin_master',
    values: BOOLEAN,
    meaning: 'Inspera is the master of staff users: they must already exist in Inspera, deactivated users are denied',
  },
  {
    name: 'skip_incomplete_members',
    values: BOOLEAN,
    recommended: true,
    meaning: 'skip course members with incomplete data instead of stopping enrolment (recommended)',
  },
  {
    name: 'use_template_on_create',
    values: BOOLEAN,
    recommended: true,
    meaning:
      'apply the test template only when the test is created, so later launches keep manual settings (recommended)',
  },
  { name: 'inspera_test_start_time', meaning: 'start time of the Inspera test, an ISO 8601 timestamp' },
  {
    name: 'assessment_path_parent',
    meaning: 'assessment paths: "true" marks the parent, or the id of the parent assessment path',
  },
  {
    name: 'lti_authtype',
    values: ['LTI', 'GENERIC_SAML', 'GOOGLE', 'OIDC', 'SHIBBOLETH'],
    meaning: 'which external-id type Inspera matches users on (default LTI)',
  },
  {
    name: 'username_resolver',
    values: ['BY_EMAIL'],
    meaning: 'how Inspera finds the staff user name, e.g. BY_EMAIL (needs email shared: privacy Always)',
  },
  {
    name: 'candidateid_resolver',
    values: ['DEFAULT', 'BY_EMAIL', 'BY_SOURCEDID', 'BY_INSPERA_PROPERTY'],
    meaning: 'which launch field identifies a candidate: user id (DEFAULT), email, sourcedId or an Inspera property',
  },
];

const BY_NAME = new Map(INSPERA_PARAMETERS.map((p) => [p.name, p]));

export function knownParameter(name: string): KnownParameter | undefined {
  return BY_NAME.get(name);
}

export interface ParameterNote {
  name: string;
  level: 'warn' | 'info';
  message: string;
}

/** Moodle's key normalisation (lti_split_custom_parameters): lower case, every byte outside [a-z0-9] → `_`. */
function moodleNormalisedName(name: string): string {
  return Array.from(Buffer.from(name.toLowerCase(), 'utf8'))
    .map((byte) => (/[a-z0-9]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : '_'))
    .join('');
}

/** Notes about one `name=value` pair: unknown or misspelt names, unexpected values, NRPS needs. */
export function describeParameter(name: string, value: string, context: { nrps?: boolean } = {}): ParameterNote[] {
  const notes: ParameterNote[] = [];
  const known = BY_NAME.get(name);
  if (!known) {
    const normalised = moodleNormalisedName(name);
    const suggestion = BY_NAME.has(normalised) ? normalised : closest(name, [...BY_NAME.keys()]);
    notes.push({
      name,
      level: 'warn',
      message: suggestion
        ? `"${name}" is not a parameter Inspera documents — did you mean "${suggestion}"?`
        : `"${name}" is not a parameter Inspera documents; Moodle will still send it`,
    });
    return notes;
  }
  if (known.values && !known.values.includes(value)) {
    const hint = known.values.find((v) => v.toLowerCase() === value.toLowerCase());
    notes.push({
      name,
      level: 'warn',
      message: hint
        ? `${name}=${value}: write "${hint}" exactly`
        : `${name}=${value}: expected ${known.values.join(' or ')}`,
    });
  }
  if (known.requiresNrps && value === 'true' && context.nrps === false) {
    notes.push({
      name,
      level: 'warn',
      message: `${name}=true needs Moodle's Names and Role Provisioning service, which is off`,
    });
  }
  return notes;
}
