/**
 * A launch as a sequence of hops between the Browser, Moodle and Inspera — from a simulation's steps or a browser
 * capture — for the HTML report to draw. Hops a source does not show are kept, marked missing, never invented.
 */
import type { CheckResult } from '../core/result.js';

export type Lane = 'Browser' | 'Moodle' | 'Inspera';
export type HopKind =
  | 'login'
  | 'activity'
  | 'launch'
  | 'login-init'
  | 'auth'
  | 'repost'
  | 'id-token'
  | 'tool-answer'
  | 'token'
  | 'score'
  | 'read-back'
  | 'nrps';

export interface Hop {
  kind: HopKind;
  label: string;
  from: Lane;
  to: Lane;
  state: 'ok' | 'failed' | 'missing';
  method?: string;
  path?: string;
  status?: number;
  ms?: number;
}

export interface CookieVerdict {
  name: string;
  host: string;
  /** As the last Set-Cookie that kept it left it. */
  sameSite: string;
  secure: boolean;
  verdict: string;
  ok: boolean;
  /** Every Set-Cookie that touched it, in order: where, and what it set (or that it removed it). */
  history: Array<{ path: string; set: string }>;
}

export interface LaunchPicture {
  title: string;
  /** What it was made from: "simulate launch", "a browser capture (launch.har)". */
  source: string;
  hops: Hop[];
  /** How a hop that is not there is labelled: "not in the capture" (a HAR), "not reached" (a run that stopped). */
  missing: string;
  failure?: { hop: HopKind; cause: string; fix?: string };
  verdict: string;
  ok: boolean;
  token?: { header: Record<string, unknown>; payload: Record<string, unknown>; signature: string };
  cookies: CookieVerdict[];
  checks: CheckResult[];
  notChecked?: string[];
}

/** One request as a simulation or a capture recorded it. */
export interface RequestRecord {
  method: string;
  url: string;
  status: number;
  ms?: number;
  /** Form and query parameters. */
  params: Record<string, string>;
  /** The cookies the answer set (parsed). */
  setCookies: Array<{ name: string; sameSite?: string; secure: boolean; deletes?: boolean }>;
  /** The answer's body (bounded), to read what auth.php answered. */
  body?: string;
}

const LAUNCH: Array<{ kind: HopKind; label: string; from: Lane; to: Lane }> = [
  { kind: 'login', label: 'log in to Moodle', from: 'Browser', to: 'Moodle' },
  { kind: 'activity', label: 'the activity page', from: 'Browser', to: 'Moodle' },
  { kind: 'launch', label: 'launch.php', from: 'Browser', to: 'Moodle' },
  { kind: 'login-init', label: 'login initiation', from: 'Browser', to: 'Inspera' },
  { kind: 'auth', label: 'auth.php', from: 'Browser', to: 'Moodle' },
  { kind: 'repost', label: 'auth.php repost', from: 'Browser', to: 'Moodle' },
  { kind: 'id-token', label: 'the id_token post', from: 'Browser', to: 'Inspera' },
  { kind: 'tool-answer', label: "the tool's answer", from: 'Inspera', to: 'Browser' },
];
const SERVICES: Array<{ kind: HopKind; label: string; from: Lane; to: Lane }> = [
  { kind: 'token', label: 'token.php', from: 'Inspera', to: 'Moodle' },
  { kind: 'score', label: 'the score', from: 'Inspera', to: 'Moodle' },
  { kind: 'read-back', label: 'the read-back (results)', from: 'Inspera', to: 'Moodle' },
  { kind: 'nrps', label: 'the NRPS membership', from: 'Inspera', to: 'Moodle' },
];

/** Which hop a request is, from its path and parameters (the same for a simulation and a capture). */
export function hopOf(record: RequestRecord): HopKind | undefined {
  const path = new URL(record.url).pathname;
  if (path.endsWith('/login/index.php')) return 'login';
  if (path.endsWith('/mod/lti/view.php')) return 'activity';
  if (path.endsWith('/mod/lti/launch.php')) return 'launch';
  if (path.endsWith('/mod/lti/auth.php')) return record.params.repost ? 'repost' : 'auth';
  if (path.endsWith('/mod/lti/token.php')) return 'token';
  if (/\/lineitem\/scores$/.test(path) || /\/scores$/.test(path)) return 'score';
  if (/\/results$/.test(path)) return 'read-back';
  if (/\/memberships$/.test(path)) return 'nrps';
  if (record.method === 'POST' && record.params.id_token !== undefined) return 'id-token';
  if (record.params.iss !== undefined && record.params.login_hint !== undefined) return 'login-init';
  return undefined;
}

/**
 * The hops in order: the launch's always (missing when the records do not show them), the services' when any was
 * used. A hop's status and time are its last request's (a redirect chain ends there).
 */
export function hopsFrom(records: RequestRecord[], options: { services?: boolean; repost?: boolean } = {}): Hop[] {
  const seen = new Map<HopKind, RequestRecord>();
  for (const record of records) {
    const kind = hopOf(record);
    if (kind) seen.set(kind, record);
  }
  const idToken = seen.get('id-token');
  const wanted = [
    ...LAUNCH.filter((h) => h.kind !== 'repost' || seen.has('repost') || options.repost),
    ...(options.services || SERVICES.some((h) => seen.has(h.kind))
      ? SERVICES.filter((h) => seen.has(h.kind) || h.kind !== 'nrps')
      : []),
  ];
  return wanted.map((h) => {
    // The tool's answer is the answer to the id_token post: drawn as its own arrow back.
    const record = h.kind === 'tool-answer' ? idToken : seen.get(h.kind);
    if (!record) return { ...h, state: 'missing' as const };
    const url = new URL(record.url);
    // The id_token post's status is the tool's answer, drawn on the arrow back.
    if (h.kind === 'id-token') return { ...h, state: 'ok' as const, method: record.method, path: url.pathname };
    return {
      ...h,
      state: 'ok' as const,
      method: h.kind === 'tool-answer' ? 'answer' : record.method,
      path: url.pathname,
      status: record.status,
      ...(record.ms !== undefined ? { ms: record.ms } : {}),
    };
  });
}

/** Mark the hop where it failed; with no such hop seen, the failure is kept but nothing is drawn red. */
export function markFailed(hops: Hop[], kind: HopKind | undefined): Hop[] {
  return hops.map((h) => (h.kind === kind && h.state !== 'missing' ? { ...h, state: 'failed' } : h));
}

/**
 * The first hop the evidence shows failing: an HTTP error, or Moodle's auth.php answering something other than an
 * id_token or its repost page (an "Invalid request" page, an OAuth error posted back).
 */
export function firstFailingHop(
  records: RequestRecord[],
  authFine: (record: RequestRecord) => boolean,
): HopKind | undefined {
  for (const record of records) {
    const kind = hopOf(record);
    if (!kind) continue;
    if (kind === 'auth' || kind === 'repost') {
      if (record.status >= 400 || !authFine(record)) return kind;
    } else if (record.status >= 400) {
      return kind === 'id-token' ? 'tool-answer' : kind;
    }
  }
  return undefined;
}

/**
 * The cookies the launch set, each once (by host and name), with every Set-Cookie that touched it in order and what
 * current browsers do on Moodle's cross-site POST with it as the last one that kept it left it.
 */
export function cookieVerdicts(records: RequestRecord[]): CookieVerdict[] {
  const out = new Map<string, CookieVerdict>();
  for (const record of records) {
    const url = new URL(record.url);
    const host = url.host;
    for (const c of record.setCookies) {
      const key = `${host} ${c.name}`;
      const history = [
        ...(out.get(key)?.history ?? []),
        {
          path: url.pathname,
          set: c.deletes ? 'deleted' : `SameSite=${c.sameSite ?? '(none)'}${c.secure ? '; Secure' : ''}`,
        },
      ];
      if (c.deletes) {
        const kept = out.get(key);
        out.set(
          key,
          kept
            ? { ...kept, history }
            : { name: c.name, host, sameSite: '-', secure: false, verdict: 'deleted', ok: true, history },
        );
        continue;
      }
      const sameSite = c.sameSite ?? '(none: Lax in Chrome)';
      const lax = !c.sameSite || /lax|strict/i.test(c.sameSite);
      const verdict =
        /none/i.test(c.sameSite ?? '') && !c.secure
          ? 'rejected by browsers: SameSite=None needs Secure'
          : !c.sameSite
            ? 'not sent inside an iframe; with a top-level cross-site POST only ' +
              'within two minutes of being set (Chrome)'
            : lax
              ? 'not sent on a cross-site POST or inside an iframe'
              : 'sent cross-site (unless the browser blocks third-party cookies)';
      out.set(key, { name: c.name, host, sameSite, secure: c.secure, verdict, ok: !lax && c.secure, history });
    }
  }
  return [...out.values()];
}
