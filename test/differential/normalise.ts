/**
 * What a client reads from an answer, with only what must differ between two platforms taken out: hosts and
 * ports, database ids, keys, tokens, nonces, session ids and times. HTML is read the way an LTI client reads it:
 * title, error message, the LTI forms (id, name, action, method, fields), the scripts that submit a form or open a
 * window, the iframe that holds the launch; the rest of Moodle's page chrome (navigation, blocks) is not compared.
 */
import { parseForms } from '../../src/util/html.js';

export interface Answer {
  status: number;
  reason: string;
  headers: Record<string, string>;
  setCookies: string[];
  body: string;
}

export interface Placeholders {
  wwwroot: string;
  /** The site's short name (page titles end "| {site}") and full name. */
  siteName: string;
  siteFullName: string;
  tool: string;
  clientId: string;
  typeId: string;
  courseId: string;
  cmid: string;
  instanceId: string;
  /** Grade item ids → their placeholder. */
  items: Record<string, string>;
  /** User ids → {user:name}. */
  users: Record<string, string>;
}

export type Body =
  | { kind: 'empty' }
  | { kind: 'json'; pretty: boolean; value: unknown }
  | { kind: 'html'; title: string | null; errors: string[]; forms: unknown[]; scripts: string[]; frames: string[] }
  | { kind: 'text'; text: string };

export interface NormalisedAnswer {
  status: number;
  reason: string;
  contentType: string | null;
  location: string | null;
  link: string | null;
  cookies: string[];
  body: Body;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Replace the platform's own values in a piece of text (a URL, a field value, a message). */
export function normaliseText(text: string, p: Placeholders): string {
  const user = (id: string) => p.users[id] ?? (id === '0' ? '0' : '{user:?}');
  const item = (id: string) => p.items[id] ?? (/^9{4,}$/.test(id) ? id : '{item:?}');
  if (text === p.siteName) return '{site}';
  if (text === p.siteFullName) return '{site-fullname}';
  return text
    .replace(new RegExp(escapeRegExp(encodeURIComponent(p.tool)), 'g'), '{tool-encoded}')
    .replace(new RegExp(escapeRegExp(p.wwwroot), 'g'), '{wwwroot}')
    .replace(new RegExp(escapeRegExp(p.wwwroot.replace(/^https?:\/\//, '')), 'g'), '{wwwroot-host}')
    .replace(new RegExp(escapeRegExp(p.tool), 'g'), '{tool}')
    .replace(new RegExp(escapeRegExp(p.clientId), 'g'), '{client}')
    .replace(new RegExp(`\\| ${escapeRegExp(p.siteName)}$`), '| {site}')
    .replace(
      /(^|\s)\/(\d+)\/lineitems/g,
      (_m, b: string, c: string) => `${b}/${c === p.courseId ? '{course}' : c}/lineitems`,
    )
    .replace(/"userId":"(\d+)"/g, (_m, u: string) => `"userId":"${user(u)}"`)
    .replace(/("cmid":|%22cmid%22%3A)(\d+)/g, (_m, k: string, c: string) => `${k}${c === p.cmid ? '{cmid}' : c}`)
    .replace(/(login_hint=)(\d+)/g, (_m, k: string, u: string) => `${k}${user(u)}`)
    .replace(
      /services\.php\/(\d+)\/lineitems/g,
      (_m, c: string) => `services.php/${c === p.courseId ? '{course}' : c}/lineitems`,
    )
    .replace(/lineitems\/(\d+)\/lineitem/g, (_m, i: string) => `lineitems/${item(i)}/lineitem`)
    .replace(
      /CourseSection\/(\d+)\/bindings\/(\d+)/g,
      (_m, c: string, t: string) =>
        `CourseSection/${c === p.courseId ? '{course}' : c}/bindings/${t === p.typeId ? '{type}' : t}`,
    )
    .replace(/([?&](?:amp;)?type_id=)(\d+)/g, (_m, k: string, t: string) => `${k}${t === p.typeId ? '{type}' : t}`)
    .replace(/([?&](?:amp;)?user_id=)(\d+)/g, (_m, k: string, u: string) => `${k}${user(u)}`)
    .replace(/([?&](?:amp;)?testsession=)(\d+)/g, (_m, k: string, u: string) => `${k}${user(u)}`)
    .replace(/([?&](?:amp;)?rlid=)(\d+)/g, (_m, k: string, r: string) => `${k}${r === p.instanceId ? '{instance}' : r}`)
    .replace(
      /(\.php\?(?:[^"'\s]*?&(?:amp;)?)?id=)(\d+)/g,
      (_m, k: string, c: string) => `${k}${c === p.cmid ? '{cmid}' : c}`,
    )
    .replace(/([?&](?:amp;)?course=)(\d+)/g, (_m, k: string, c: string) => `${k}${c === p.courseId ? '{course}' : c}`)
    .replace(
      /([?&](?:amp;)?instanceid=)(\d+)/g,
      (_m, k: string, i: string) => `${k}${i === p.instanceId ? '{instance}' : i}`,
    )
    .replace(/([?&](?:amp;)?sesskey=)\w+/g, '$1{sesskey}')
    .replace(/'lti-(\d+)'/g, (_m, c: string) => `'lti-${c === p.cmid ? '{cmid}' : c}'`)
    .replace(/ltilaunch\d+_\d+/g, '{launchid}')
    .replace(/for item (\d+) and user (\d+)/g, (_m, i: string, u: string) => `for item ${item(i)} and user ${user(u)}`)
    .replace(/Course (\d+) doesn't exist/g, "Course {n} doesn't exist")
    .replace(/Grade item (\d+) doesn't exist/g, "Grade item {n} doesn't exist")
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)/g, '{time}')
    .replace(/\b[0-9a-f]{32}\b/g, '{hex32}');
}

const ID_KEYS: Record<string, (value: string, p: Placeholders) => string> = {
  user_id: (v, p) => p.users[v] ?? '{user:?}',
  userId: (v, p) => p.users[v] ?? '{user:?}',
  sub: (v, p) => p.users[v] ?? v,
  lis_person_sourcedid: (v) => v,
  resourceLinkId: (v, p) => (v === p.instanceId ? '{instance}' : v),
  ltiLinkId: (v, p) => (v === p.instanceId ? '{instance}' : v),
  login_hint: (v, p) => p.users[v] ?? v,
  contextId: (v, p) => (v === p.courseId ? '{course}' : v),
  // The substitution variables the exchange script puts in the custom parameters.
  userid: (v, p) => p.users[v] ?? v,
  context_id: (v, p) => (v === p.courseId ? '{course}' : v),
  link_id: (v, p) => (v === p.instanceId ? '{instance}' : v),
  lis_result_sourcedid: (v, p) => normaliseSourcedId(v, p),
  lti_deployment_id: (v, p) => (v === p.typeId ? '{type}' : v),
  'https://purl.imsglobal.org/spec/lti/claim/deployment_id': (v, p) => (v === p.typeId ? '{type}' : v),
  iat: () => '{time}',
  exp: () => '{time}',
  kid: () => '{kid}',
  n: () => '{modulus}',
  access_token: () => '{token}',
  logintoken: () => '{logintoken}',
  sesskey: () => '{sesskey}',
  version: () => '{release}',
};

/** lis_result_sourcedid: its ids as placeholders, the launch id's type, whether the hash is a sha256. */
function normaliseSourcedId(text: string, p: Placeholders): string {
  try {
    const sourced = JSON.parse(text) as { data: Record<string, unknown>; hash: string };
    return JSON.stringify({
      data: {
        instanceid: sourced.data.instanceid === p.instanceId ? '{instance}' : sourced.data.instanceid,
        userid: p.users[String(sourced.data.userid)] ?? '?',
        typeid: sourced.data.typeid === p.typeId ? '{type}' : sourced.data.typeid,
        launchid: typeof sourced.data.launchid,
      },
      hash: /^[0-9a-f]{64}$/.test(sourced.hash) ? '{sha256}' : sourced.hash,
    });
  } catch {
    return text;
  }
}

/** An id_token as what it says: header and payload, normalised, and its lifetime (exp - iat). */
function normaliseJwt(jwt: string, p: Placeholders): unknown {
  const [h, b] = jwt.split('.');
  try {
    const header = JSON.parse(Buffer.from(h!, 'base64url').toString('utf8')) as Record<string, unknown>;
    const payload = JSON.parse(Buffer.from(b!, 'base64url').toString('utf8')) as Record<string, unknown>;
    const lifetime = Number(payload.exp) - Number(payload.iat);
    const resourceLink = payload['https://purl.imsglobal.org/spec/lti/claim/resource_link'] as
      | { id?: string }
      | undefined;
    if (resourceLink?.id === p.instanceId) resourceLink.id = '{instance}';
    return { header: normaliseJson(header, p), payload: normaliseJson(payload, p), lifetime };
  } catch {
    return '{not a JWT}';
  }
}

function normaliseJson(value: unknown, p: Placeholders, key?: string): unknown {
  if (key === 'id_token' && typeof value === 'string') return normaliseJwt(value, p);
  if (Array.isArray(value)) return value.map((v) => normaliseJson(v, p));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      // context.id of an NRPS container is the course id.
      out[k] =
        (k === 'context' || k.endsWith('/claim/context')) && v && typeof v === 'object'
          ? {
              ...(normaliseJson(v, p) as object),
              id: (v as { id?: unknown }).id === p.courseId ? '{course}' : (v as { id?: unknown }).id,
            }
          : normaliseJson(v, p, k);
    }
    return out;
  }
  if (typeof value === 'string' || typeof value === 'number') {
    const text = String(value);
    // A number stays marked as one: "4" and 4 are different answers.
    if (key && ID_KEYS[key])
      return typeof value === 'number' ? `${ID_KEYS[key]!(text, p)} (number)` : ID_KEYS[key]!(text, p);
    return typeof value === 'string' ? normaliseText(value, p) : value;
  }
  return value;
}

function htmlBody(html: string, p: Placeholders): Body {
  const title = /<title>([\s\S]*?)<\/title>/i.exec(html)?.[1]?.trim() ?? null;
  const errors = [...html.matchAll(/<p class="errormessage">([\s\S]*?)<\/p>/g)].map((m) => m[1]!.trim());
  const relevant = (action: string) =>
    /\/mod\/lti\/|\/login\/|\{tool\}/.test(normaliseText(action, p)) || action === '';
  const forms = parseForms(html)
    .filter((f) => relevant(f.action))
    .map((f) => ({
      name: f.name,
      action: normaliseText(f.action, p),
      method: f.method,
      fields: Object.fromEntries(Object.entries(f.fields).map(([k, v]) => [k, normaliseJson(v, p, k)])),
    }));
  const scripts = [
    ...html.matchAll(
      new RegExp(
        [
          /document\.\w+\.submit\(\)/,
          /document\.getElementById\(["'][^"']+["']\)\.submit\(\)/,
          /window\.open\('[^']*',\s*'[^']*'\)/,
        ]
          .map((r) => r.source)
          .join('|'),
        'g',
      ),
    ),
  ].map((m) => normaliseText(m[0].replace(/\s+/g, ''), p));
  // The launch iframe: where it points, and its allow list (each feature for the tool's origin).
  const frames = [...html.matchAll(/<iframe\b[^>]*>/gi)].map((m) =>
    normaliseText([/\bsrc="([^"]*)"/i, /\ballow="([^"]*)"/i].map((r) => r.exec(m[0])?.[1] ?? '').join(' allow='), p),
  );
  return {
    kind: 'html',
    title: title === null ? null : normaliseText(title, p),
    errors,
    forms,
    scripts: [...new Set(scripts)],
    frames,
  };
}

export function normaliseAnswer(answer: Answer, p: Placeholders): NormalisedAnswer {
  const contentType = answer.headers['content-type'] ?? null;
  let body: Body;
  const text = answer.body;
  if (text === '') body = { kind: 'empty' };
  else if (/^\s*[[{]/.test(text) && !/^\s*<!/.test(text)) {
    try {
      body = { kind: 'json', pretty: /\n/.test(text.trim()), value: normaliseJson(JSON.parse(text), p) };
    } catch {
      body = { kind: 'text', text: normaliseText(text, p).slice(0, 400) };
    }
  } else if (/<(html|form|!DOCTYPE|div|p)\b/i.test(text)) body = htmlBody(text, p);
  else body = { kind: 'text', text: normaliseText(text, p).slice(0, 400) };
  return {
    status: answer.status,
    reason: normaliseText(answer.reason, p),
    contentType,
    location: answer.headers.location ? normaliseText(answer.headers.location, p) : null,
    link: answer.headers.link ? normaliseText(answer.headers.link, p) : null,
    cookies: [...new Set(answer.setCookies.map((c) => c.split('=')[0]!.trim()))].sort(),
    body,
  };
}
