import type { HttpClient } from '../../http/client.js';
import { planCandidates, roleName, type CandidatePlan } from '../../inspera/candidates.js';
import { CLAIM, SCOPE, type JsonObject } from '../../lti/claims.js';
import type { SigningKey } from '../../lti/keys.js';
import { fetchMemberships } from '../../lti/memberships.js';
import { requestAccessToken } from '../../lti/service-client.js';
import type { PlatformRegistration } from '../../lti/verify-launch.js';

/** What the Inspera-like tool did about candidate auto-provisioning on one launch. */
export interface ProvisioningReport {
  /** True when the membership was read. */
  ok: boolean;
  /** One line: what happened. */
  summary: string;
  membershipUrl?: string;
  pages?: Array<{ url: string; status: number; members: number }>;
  plan?: CandidatePlan;
}

/**
 * On an instructor launch with `enroll_candidates=true`, do what Inspera does: ask token.php for the
 * contextmembership.readonly scope, read every page of the membership the launch names, and work out who would
 * become candidates. Undefined when the launch does not ask for provisioning.
 */
export async function provisionCandidates(
  payload: JsonObject,
  options: { http: HttpClient; registration: PlatformRegistration; key: SigningKey; pageSize?: number },
): Promise<ProvisioningReport | undefined> {
  const custom = (payload[CLAIM.custom] ?? {}) as Record<string, unknown>;
  if (String(custom.enroll_candidates ?? '').toLowerCase() !== 'true') return undefined;
  const roles = Array.isArray(payload[CLAIM.roles])
    ? (payload[CLAIM.roles] as unknown[]).map(String).map(roleName)
    : [];
  if (!roles.includes('Instructor') && !roles.includes('Administrator')) return undefined;
  const nrps = payload[CLAIM.nrps] as { context_memberships_url?: unknown } | undefined;
  const membershipUrl = typeof nrps?.context_memberships_url === 'string' ? nrps.context_memberships_url : undefined;
  if (!membershipUrl) {
    return {
      ok: false,
      summary:
        'no candidates enrolled: the launch has no NRPS claim ("IMS LTI Names and Role Provisioning" is off in Moodle)',
    };
  }
  const token = await requestAccessToken(options.http, {
    tokenUrl: options.registration.tokenUrl,
    clientId: options.registration.clientId,
    key: options.key,
    scopes: [SCOPE.nrps],
  });
  if (!token.token || !token.granted?.includes(SCOPE.nrps)) {
    return {
      ok: false,
      membershipUrl,
      summary:
        `no candidates enrolled: token.php did not grant ` +
        `contextmembership.readonly (${token.error ?? `granted ${token.granted?.join(' ') || 'nothing'}`})`,
    };
  }
  let first = membershipUrl;
  if (options.pageSize) {
    const paged = new URL(membershipUrl);
    paged.searchParams.set('limit', String(options.pageSize));
    first = paged.toString();
  }
  const read = await fetchMemberships(options.http, first, token.token);
  const plan = planCandidates(read.members, {
    skipIncomplete: String(custom.skip_incomplete_members ?? '').toLowerCase() === 'true',
  });
  const counts =
    `${plan.candidates.length} candidate(s), ${plan.skipped.length} ` +
    `skipped${plan.blocking.length ? `, ${plan.blocking.length} stopping the enrolment` : ''}`;
  return {
    ok: !read.error && plan.blocking.length === 0,
    membershipUrl,
    pages: read.pages,
    plan,
    summary: read.error
      ? `membership read stopped: ${read.error} (${counts} from what was read)`
      : `${read.members.length} member(s) on ${read.pages.length} page(s): ${counts}`,
  };
}
