import type { HttpClient } from '../http/client.js';
import { MEDIA_TYPE } from './claims.js';

export interface MembershipPages {
  /** Every member of every page, in order. */
  members: Array<Record<string, unknown>>;
  pages: Array<{ url: string; status: number; members: number }>;
  /** Set when a page could not be read; the members before it are kept. */
  error?: string;
}

/**
 * The URL of `rel="next"` in a Link header (RFC 8288), if any. Moodle's line item container writes rel=“next”
 * (typographic quotes, UTF-8 read as latin1 by an HTTP client) and "&amp;" in its URLs: both are read too.
 */
export function nextLink(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(part);
    const rel = match ? /;\s*rel\s*=\s*([^;]*)/i.exec(match[2]!)?.[1] : undefined;
    if (
      rel
        ?.replace(/[^\w\s.-]/g, ' ')
        .split(/\s+/)
        .some((value) => value.toLowerCase() === 'next')
    )
      return match![1]!.replace(/&amp;/g, '&');
  }
  return undefined;
}

/** NRPS 2.0: GET the context membership and every following page (Link: <…>; rel="next"), bounded. */
export async function fetchMemberships(
  http: HttpClient,
  url: string,
  token: string,
  maxPages = 100,
): Promise<MembershipPages> {
  const result: MembershipPages = { members: [], pages: [] };
  const seen = new Set<string>();
  let next: string | undefined = url;
  while (next) {
    if (seen.has(next) || result.pages.length >= maxPages) {
      result.error = seen.has(next)
        ? `the membership pages loop back to ${next}`
        : `more than ${maxPages} membership pages`;
      break;
    }
    seen.add(next);
    const response = await http.send({
      url: next,
      headers: { authorization: `Bearer ${token}`, accept: MEDIA_TYPE.membershipContainer },
    });
    let members: unknown;
    try {
      members = (JSON.parse(response.body) as { members?: unknown }).members;
    } catch {
      members = undefined;
    }
    if (response.status !== 200 || !Array.isArray(members)) {
      result.pages.push({ url: next, status: response.status, members: 0 });
      result.error =
        `GET ${next.split('?')[0]} answered HTTP ${response.status}` +
        `${Array.isArray(members) ? '' : ' without a members list'}`;
      break;
    }
    result.members.push(...(members as Array<Record<string, unknown>>));
    result.pages.push({ url: next, status: response.status, members: members.length });
    const link = nextLink(response.headers.link);
    next = link ? new URL(link, next).toString() : undefined;
  }
  return result;
}
