/**
 * Inspera's candidate auto-provisioning (the seed's FAQ 3): on a launch with `enroll_candidates=true`, Inspera reads
 * the course membership (NRPS) and enrols every member with the Learner role as a candidate on the test. A member
 * without a name or e-mail stops the enrolment, unless `skip_incomplete_members=true` makes Inspera skip them.
 */
export interface NrpsMember {
  status?: string;
  roles?: unknown;
  user_id?: unknown;
  name?: unknown;
  given_name?: unknown;
  family_name?: unknown;
  email?: unknown;
  ext_user_username?: unknown;
}

export interface CandidatePlan {
  /** Who would become candidates: Moodle user id and what Inspera would show. */
  candidates: Array<{ userId: string; name: string; email: string }>;
  /** Who would not, and why. */
  skipped: Array<{ userId: string; reason: string }>;
  /** Members whose missing data would stop the enrolment (no skip_incomplete_members). */
  blocking: Array<{ userId: string; reason: string }>;
}

/** A role as NRPS (Moodle: short names, "Learner") or the id_token (URIs, "…membership#Learner") gives it. */
export function roleName(role: string): string {
  const hash = role.lastIndexOf('#');
  return hash >= 0 ? role.slice(hash + 1) : role.slice(role.lastIndexOf('/') + 1);
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

export function planCandidates(members: readonly NrpsMember[], options: { skipIncomplete: boolean }): CandidatePlan {
  const plan: CandidatePlan = { candidates: [], skipped: [], blocking: [] };
  for (const member of members) {
    const userId = String(member.user_id ?? '?');
    const roles = Array.isArray(member.roles)
      ? member.roles.filter((r): r is string => typeof r === 'string').map(roleName)
      : [];
    if (member.status !== undefined && member.status !== 'Active') {
      plan.skipped.push({ userId, reason: `membership status ${member.status}` });
      continue;
    }
    if (!roles.includes('Learner')) {
      plan.skipped.push({ userId, reason: `not a learner (${roles.join(', ') || 'no role'})` });
      continue;
    }
    const name = text(member.name) || [text(member.given_name), text(member.family_name)].filter(Boolean).join(' ');
    const email = text(member.email);
    const missing = [!name ? 'name' : '', !email ? 'e-mail' : ''].filter(Boolean);
    if (missing.length) {
      const reason =
        `no ${missing.join(' and no ')} in the membership ` +
        `(Moodle's privacy settings "Share launcher's ` +
        `name/email with tool")`;
      (options.skipIncomplete ? plan.skipped : plan.blocking).push({ userId, reason });
      continue;
    }
    plan.candidates.push({ userId, name, email });
  }
  return plan;
}
