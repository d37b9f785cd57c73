/**
 * One script of LTI exchanges, sent the same way to a real Moodle and to the embedded platform set up alike, and
 * recorded as what a client reads from each answer (normalised: see normalise.ts). The differential compares them.
 */
import { randomBytes } from 'node:crypto';
import { CLIENT_ASSERTION_TYPE, MEDIA_TYPE, SCOPE } from '../../src/lti/claims.js';
import type { SigningKey } from '../../src/lti/keys.js';
import { signJwt } from '../../src/lti/sign.js';
import { parseForms } from '../../src/util/html.js';
import { normaliseAnswer, normaliseText, type Answer, type NormalisedAnswer, type Placeholders } from './normalise.js';

export type Container = 'new-window' | 'existing-window' | 'embed' | 'embed-no-blocks';

/** A platform under test, set up like the real-Moodle suite's site. */
export interface Target {
  wwwroot: string;
  siteName: string;
  siteFullName: string;
  clientId: string;
  typeId: string;
  courseId: string;
  cmid: string;
  instanceId: string;
  gradeItemId: string;
  users: Record<'ada' | 'alan' | 'teacher', { id: string; password: string }>;
  /** The registered tool's origin: Redirection URI {toolOrigin}/ltiprovider/launch, keyset served with toolKey. */
  toolOrigin: string;
  toolKey: SigningKey;
  otherKey: SigningKey;
  /** Change the tool type the way its settings form would (unset = the recommended setting). */
  configureTool(changes: ToolChanges): Promise<void>;
}

export interface ToolChanges {
  launchContainer?: Container;
  customParameters?: string;
  shareName?: 'always' | 'never';
  shareEmail?: 'always' | 'never';
}

/** Custom parameters with Moodle's substitution variables, and names Moodle normalises. */
export const SUBSTITUTIONS = [
  'username=$User.username',
  'userid=$User.id',
  'fullname=$Person.name.full',
  'given=$Person.name.given',
  'email=$Person.email.primary',
  'sourced=$Person.sourcedId',
  'context_id=$Context.id',
  'context_title=$Context.title',
  'context_label=$Context.label',
  'context_long=$Context.longDescription',
  'section_title=$CourseSection.title',
  'section_label=$CourseSection.label',
  'link_id=$ResourceLink.id',
  'link_title=$ResourceLink.title',
  'link_description=$ResourceLink.description',
  'role=$Membership.role',
  'groups=$Moodle.Person.userGroupIds',
  'lineitems=$LineItems.url',
  'unknown=$Not.AVariable',
  'Mixed-Case Key=kept',
  'enroll_candidates=true',
].join('\n');

export interface Exchange {
  name: string;
  request: { method: string; path: string };
  answer: NormalisedAnswer;
}

interface Sent {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  cookie?: string;
}

const ALL_SCOPES = [SCOPE.score, SCOPE.lineItem, SCOPE.lineItemReadonly, SCOPE.resultReadonly, SCOPE.nrps];

export async function runExchanges(target: Target): Promise<Exchange[]> {
  const exchanges: Exchange[] = [];
  const placeholders: Placeholders = {
    wwwroot: target.wwwroot,
    siteName: target.siteName,
    siteFullName: target.siteFullName,
    tool: target.toolOrigin,
    clientId: target.clientId,
    typeId: target.typeId,
    courseId: target.courseId,
    cmid: target.cmid,
    instanceId: target.instanceId,
    items: { [target.gradeItemId]: '{item}' },
    users: Object.fromEntries(Object.entries(target.users).map(([name, u]) => [u.id, `{user:${name}}`])),
  };
  const root = target.wwwroot;
  const send = async (s: Sent): Promise<Answer> => {
    const headers: Record<string, string> = { ...(s.headers ?? {}) };
    if (s.cookie) headers.cookie = s.cookie;
    const response = await fetch(`${root}${s.path}`, {
      method: s.method ?? 'GET',
      headers,
      redirect: 'manual',
      ...(s.body !== undefined ? { body: s.body } : {}),
    });
    return {
      status: response.status,
      reason: response.statusText,
      headers: Object.fromEntries(response.headers),
      setCookies: response.headers.getSetCookie(),
      body: await response.text(),
    };
  };
  const record = async (name: string, s: Sent): Promise<Answer> => {
    const answer = await send(s);
    exchanges.push({
      name,
      request: { method: s.method ?? 'GET', path: normaliseText(s.path, placeholders) },
      answer: normaliseAnswer(answer, placeholders),
    });
    return answer;
  };
  const sessionOf = (answer: Answer, previous?: string) => {
    const set = answer.setCookies.map((c) => c.split(';')[0]!).filter((c) => c.startsWith('MoodleSession='));
    return set.at(-1) ?? previous;
  };

  // Discovery and keys.
  await record('certs.php', { path: '/mod/lti/certs.php' });
  await record('openid-configuration.php', { path: '/mod/lti/openid-configuration.php' });

  // The login page and the login POST.
  const login = async (who: 'ada' | 'teacher', recordIt: boolean) => {
    const go = recordIt ? record : (_name: string, s: Sent) => send(s);
    const page = await go('login page', { path: '/login/index.php' });
    const guest = sessionOf(page)!;
    const token = parseForms(page.body).find((f) => f.name === 'login')?.fields.logintoken ?? '';
    const body = new URLSearchParams({
      anchor: '',
      logintoken: token,
      username: who,
      password: target.users[who].password,
    }).toString();
    const post = await go('login POST with its logintoken', {
      method: 'POST',
      path: '/login/index.php',
      body,
      cookie: guest,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const cookie = sessionOf(post, guest)!;
    const testsession = new URL(post.headers.location ?? `${root}/`, root);
    await go('login: the testsession redirect', { path: testsession.pathname + testsession.search, cookie });
    return cookie;
  };
  {
    const page = await send({ path: '/login/index.php' });
    const body = new URLSearchParams({ anchor: '', username: 'ada', password: target.users.ada.password }).toString();
    await record('login POST without a logintoken', {
      method: 'POST',
      path: '/login/index.php',
      body,
      cookie: sessionOf(page)!,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  }
  const ada = await login('ada', true);
  const teacher = await login('teacher', false);

  // The activity page for each launch container, and launch.php with and without a session.
  for (const container of ['new-window', 'existing-window', 'embed', 'embed-no-blocks'] as const) {
    await target.configureTool({ launchContainer: container });
    await record(`view.php, launch container ${container}`, {
      path: `/mod/lti/view.php?id=${target.cmid}`,
      cookie: ada,
    });
  }
  await target.configureTool({});
  await record('view.php without a session', { path: `/mod/lti/view.php?id=${target.cmid}` });
  await record('launch.php without a session', { path: `/mod/lti/launch.php?id=${target.cmid}` });

  // auth.php: each launch needs its own launch id from launch.php.
  const launchFields = async (cookie: string) => {
    const page = await send({ path: `/mod/lti/launch.php?id=${target.cmid}&triggerview=0`, cookie });
    return parseForms(page.body).find((f) => f.name === 'ltiInitiateLoginForm')?.fields ?? {};
  };
  await record('launch.php with a session', {
    path: `/mod/lti/launch.php?id=${target.cmid}&triggerview=0`,
    cookie: ada,
  });
  const redirect = `${target.toolOrigin}/ltiprovider/launch`;
  const authParams = (fields: Record<string, string>, change: Record<string, string | undefined> = {}) => {
    const all: Record<string, string | undefined> = {
      scope: 'openid',
      response_type: 'id_token',
      response_mode: 'form_post',
      prompt: 'none',
      client_id: fields.client_id,
      redirect_uri: redirect,
      login_hint: fields.login_hint,
      lti_message_hint: fields.lti_message_hint,
      state: 'st4te-of-the-tool',
      nonce: 'n0nce-of-the-tool',
      ...change,
    };
    return new URLSearchParams(
      Object.entries(all).filter(([, v]) => v !== undefined) as Array<[string, string]>,
    ).toString();
  };
  {
    const fields = await launchFields(ada);
    await record('auth.php GET without a session (repost page)', { path: `/mod/lti/auth.php?${authParams(fields)}` });
    await record('auth.php POST without a session (repost page)', {
      method: 'POST',
      path: '/mod/lti/auth.php',
      body: authParams(fields),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  }
  const invalid: Array<[string, Record<string, string | undefined>]> = [
    ['no nonce', { nonce: undefined }],
    ['redirect_uri not registered', { redirect_uri: `${redirect}/` }],
    ['scope other than openid', { scope: 'openid profile' }],
    ['response_type other than id_token', { response_type: 'code' }],
    [
      'a forged launch id',
      { lti_message_hint: JSON.stringify({ cmid: Number(target.cmid), launchid: 'ltilaunch1_999999' }) },
    ],
    ['no launch id in the hint', { lti_message_hint: '{}' }],
  ];
  for (const [why, change] of invalid) {
    const fields = await launchFields(ada);
    await record(`auth.php "Invalid request": ${why}`, {
      path: `/mod/lti/auth.php?${authParams(fields, change)}`,
      cookie: ada,
    });
  }
  const postedBack: Array<[string, (fields: Record<string, string>) => Record<string, string | undefined>]> = [
    ['a wrong client_id', () => ({ client_id: 'NotTheClientId1' })],
    ["another user's login_hint", () => ({ login_hint: target.users.alan.id })],
    ['no response_mode', () => ({ response_mode: undefined })],
    ['response_mode other than form_post', () => ({ response_mode: 'query' })],
    ['prompt=login', () => ({ prompt: 'login' })],
  ];
  for (const [why, change] of postedBack) {
    const fields = await launchFields(ada);
    await record(`auth.php posted-back error: ${why}`, {
      path: `/mod/lti/auth.php?${authParams(fields, change(fields))}`,
      cookie: ada,
    });
  }
  {
    const fields = await launchFields(ada);
    await record('auth.php success', { path: `/mod/lti/auth.php?${authParams(fields)}`, cookie: ada });
    await record('auth.php the same launch id again (replay)', {
      path: `/mod/lti/auth.php?${authParams(fields)}`,
      cookie: ada,
    });
    const teacherFields = await launchFields(teacher);
    await record('auth.php success for the teacher', {
      path: `/mod/lti/auth.php?${authParams(teacherFields)}`,
      cookie: teacher,
    });
    await target.configureTool({ customParameters: SUBSTITUTIONS });
    await record('auth.php success, custom parameters with substitution variables', {
      path: `/mod/lti/auth.php?${authParams(await launchFields(ada))}`,
      cookie: ada,
    });
    await target.configureTool({ customParameters: SUBSTITUTIONS, shareName: 'never', shareEmail: 'never' });
    await record('auth.php success, substitution variables with name and e-mail not shared', {
      path: `/mod/lti/auth.php?${authParams(await launchFields(ada))}`,
      cookie: ada,
    });
    await target.configureTool({});
  }

  // token.php.
  const tokenUrl = `${root}/mod/lti/token.php`;
  const assertion = async (
    o: { sub?: string; key?: SigningKey; kid?: string | null; iat?: number; nbf?: number; exp?: number } = {},
  ) => {
    const now = Math.floor(Date.now() / 1000);
    const payload: Record<string, unknown> = {
      iss: target.clientId,
      sub: o.sub ?? target.clientId,
      aud: tokenUrl,
      iat: o.iat ?? now,
      exp: o.exp ?? now + 60,
      jti: randomBytes(8).toString('hex'),
    };
    if (o.nbf !== undefined) payload.nbf = o.nbf;
    return signJwt(payload, o.key ?? target.toolKey, {
      kid: o.kid === undefined ? (o.key ?? target.toolKey).kid : o.kid,
    });
  };
  const tokenBody = (jwt: string, scopes: string[]) =>
    new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: CLIENT_ASSERTION_TYPE,
      client_assertion: jwt,
      scope: scopes.join(' '),
    }).toString();
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const now = () => Math.floor(Date.now() / 1000);
  await record('token.php GET', { path: '/mod/lti/token.php' });
  await record('token.php POST as text/plain', {
    method: 'POST',
    path: '/mod/lti/token.php',
    body: tokenBody(await assertion(), [SCOPE.score]),
    headers: { 'content-type': 'text/plain' },
  });
  const tokenCases: Array<[string, () => Promise<string>, string[]]> = [
    ['an unknown sub', () => assertion({ sub: 'UnknownClient12' }), [SCOPE.score]],
    ['signed with another key', () => assertion({ key: target.otherKey, kid: target.toolKey.kid }), [SCOPE.score]],
    ['an unknown kid', () => assertion({ kid: 'not-a-known-kid' }), [SCOPE.score]],
    ['no kid', () => assertion({ kid: null }), [SCOPE.score]],
    ['iat 30 s ahead', () => assertion({ iat: now() + 30 }), [SCOPE.score]],
    ['nbf 30 s ahead', () => assertion({ nbf: now() + 30 }), [SCOPE.score]],
    ['expired', () => assertion({ iat: now() - 120, exp: now() - 60 }), [SCOPE.score]],
    ['only unknown scopes', () => assertion(), ['https://example.org/scope/unknown']],
    ['some unknown scopes (the intersection)', () => assertion(), [SCOPE.score, 'https://example.org/scope/unknown']],
  ];
  for (const [why, make, scopes] of tokenCases) {
    await record(`token.php: ${why}`, {
      method: 'POST',
      path: '/mod/lti/token.php',
      body: tokenBody(await make(), scopes),
      headers: form,
    });
  }
  const granted = await record('token.php success, every service scope', {
    method: 'POST',
    path: '/mod/lti/token.php',
    body: tokenBody(await assertion(), ALL_SCOPES),
    headers: form,
  });
  const token = (JSON.parse(granted.body) as { access_token: string }).access_token;
  const scoreOnly = JSON.parse(
    (
      await send({
        method: 'POST',
        path: '/mod/lti/token.php',
        body: tokenBody(await assertion(), [SCOPE.score]),
        headers: form,
      })
    ).body,
  ) as { access_token: string };
  const bearer = (t = token) => ({ authorization: `Bearer ${t}` });

  // services.php: AGS.
  const lineitems = `/mod/lti/services.php/${target.courseId}/lineitems?type_id=${target.typeId}`;
  const lineitem = (item: string) =>
    `/mod/lti/services.php/${target.courseId}/lineitems/${item}/lineitem?type_id=${target.typeId}`;
  const sub = (path: string, tail: string) => path.replace('?', `${tail}?`);
  await record('line items GET without a token', { path: lineitems });
  await record('line items GET with a token lacking the scope', {
    path: lineitems,
    headers: bearer(scoreOnly.access_token),
  });
  await record('line items GET', { path: lineitems, headers: { ...bearer(), accept: MEDIA_TYPE.lineItemContainer } });
  await record('line items GET, no Accept', { path: lineitems, headers: bearer() });
  await record('line items GET, a wrong Accept', { path: lineitems, headers: { ...bearer(), accept: 'text/plain' } });
  await record('line items GET for an unknown course', {
    path: lineitems.replace(`/${target.courseId}/`, '/9999/'),
    headers: { ...bearer(), accept: MEDIA_TYPE.lineItemContainer },
  });
  const created = await record('line items POST', {
    method: 'POST',
    path: lineitems,
    headers: { ...bearer(), 'content-type': MEDIA_TYPE.lineItem, accept: MEDIA_TYPE.lineItem },
    body: JSON.stringify({ scoreMaximum: 50, label: 'Essay', tag: 'essay', resourceId: 'essay-1' }),
  });
  const createdId = /\/lineitems\/(\d+)\/lineitem/.exec(created.body)?.[1];
  if (createdId) placeholders.items[createdId] = '{created item}';
  await record('line items POST without a label', {
    method: 'POST',
    path: lineitems,
    headers: { ...bearer(), 'content-type': MEDIA_TYPE.lineItem },
    body: JSON.stringify({ scoreMaximum: 50 }),
  });
  const postItem = (body: unknown) => ({
    method: 'POST',
    path: lineitems,
    headers: { ...bearer(), 'content-type': MEDIA_TYPE.lineItem },
    body: JSON.stringify(body),
  });
  await record('line items POST, a maximum that is not a number', postItem({ scoreMaximum: 'ten', label: 'Quiz' }));
  await record(
    "line items POST, another course's resource link",
    postItem({ scoreMaximum: 5, label: 'Quiz', resourceLinkId: '99999' }),
  );
  await record('line items GET, limit 1', {
    path: `${lineitems}&limit=1`,
    headers: { ...bearer(), accept: MEDIA_TYPE.lineItemContainer },
  });
  await record('line items GET, limit 1 from 1', {
    path: `${lineitems}&limit=1&from=1`,
    headers: { ...bearer(), accept: MEDIA_TYPE.lineItemContainer },
  });
  await record('line items GET by tag', {
    path: `${lineitems}&tag=essay`,
    headers: { ...bearer(), accept: MEDIA_TYPE.lineItemContainer },
  });
  await record('line item GET', {
    path: lineitem(target.gradeItemId),
    headers: { ...bearer(), accept: MEDIA_TYPE.lineItem },
  });
  await record('line item GET, an unknown item', {
    path: lineitem('99999'),
    headers: { ...bearer(), accept: MEDIA_TYPE.lineItem },
  });
  if (createdId) {
    await record('line item PUT', {
      method: 'PUT',
      path: lineitem(createdId),
      headers: { ...bearer(), 'content-type': MEDIA_TYPE.lineItem },
      body: JSON.stringify({ scoreMaximum: 60, label: 'Essay (revised)', tag: 'essay', resourceId: 'essay-1' }),
    });
    await record('line item DELETE', { method: 'DELETE', path: lineitem(createdId), headers: bearer() });
  }
  const scores = sub(lineitem(target.gradeItemId), '/scores');
  const stamp = new Date(Math.floor(Date.now() / 1000) * 1000 + 5000).toISOString();
  const score = {
    userId: target.users.ada.id,
    scoreGiven: 7,
    scoreMaximum: 10,
    comment: 'Good',
    timestamp: stamp,
    activityProgress: 'Completed',
    gradingProgress: 'FullyGraded',
  };
  const scoreHeaders = { ...bearer(), 'content-type': MEDIA_TYPE.score };
  await record('score POST', { method: 'POST', path: scores, headers: scoreHeaders, body: JSON.stringify(score) });
  await record('score POST, the same timestamp again', {
    method: 'POST',
    path: scores,
    headers: scoreHeaders,
    body: JSON.stringify(score),
  });
  await record('score POST, missing fields', {
    method: 'POST',
    path: scores,
    headers: scoreHeaders,
    body: JSON.stringify({ userId: target.users.ada.id, scoreGiven: 3 }),
  });
  await record('score POST, a body with a newline', {
    method: 'POST',
    path: scores,
    headers: scoreHeaders,
    body: '{\n"userId": "x"\n}',
  });
  await record('score POST as application/json', {
    method: 'POST',
    path: scores,
    headers: { ...bearer(), 'content-type': 'application/json' },
    body: JSON.stringify(score),
  });
  await record('score POST as the score container type', {
    method: 'POST',
    path: scores,
    headers: { ...bearer(), 'content-type': MEDIA_TYPE.scoreContainer },
    body: JSON.stringify({
      ...score,
      userId: target.users.alan.id,
      timestamp: new Date(Date.parse(stamp) + 1000).toISOString(),
    }),
  });
  await record('score POST to "/scores" after the query', {
    method: 'POST',
    path: `${lineitem(target.gradeItemId)}/scores`,
    headers: scoreHeaders,
    body: JSON.stringify(score),
  });
  await record('score GET (a method the resource lacks)', { path: scores, headers: bearer() });
  const results = sub(lineitem(target.gradeItemId), '/results');
  await record('results GET with user_id', {
    path: `${results}&user_id=${target.users.ada.id}`,
    headers: { ...bearer(), accept: MEDIA_TYPE.resultContainer },
  });
  await record('results GET', { path: results, headers: { ...bearer(), accept: MEDIA_TYPE.resultContainer } });
  await record('results GET for an unknown course', {
    path: results.replace(`/${target.courseId}/`, '/9999/'),
    headers: { ...bearer(), accept: MEDIA_TYPE.resultContainer },
  });
  await record('results GET, an unknown item', {
    path: sub(lineitem('99999'), '/results'),
    headers: { ...bearer(), accept: MEDIA_TYPE.resultContainer },
  });

  // services.php: NRPS.
  const memberships = `/mod/lti/services.php/CourseSection/${target.courseId}/bindings/${target.typeId}/memberships`;
  const nrps = { ...bearer(), accept: MEDIA_TYPE.membershipContainer };
  await record('memberships without a token', {
    path: memberships,
    headers: { accept: MEDIA_TYPE.membershipContainer },
  });
  await record('memberships', { path: memberships, headers: nrps });
  await record('memberships, role Learner', {
    path: `${memberships}?role=${encodeURIComponent('http://purl.imsglobal.org/vocab/lis/v2/membership#Learner')}`,
    headers: nrps,
  });
  await record('memberships, limit 1', { path: `${memberships}?limit=1`, headers: nrps });
  await record('memberships, limit 1 from 2', { path: `${memberships}?limit=1&from=2`, headers: nrps });
  await record('memberships, rlid', { path: `${memberships}?rlid=${target.instanceId}`, headers: nrps });
  await record('memberships for an unknown course', {
    path: memberships.replace(`CourseSection/${target.courseId}/`, 'CourseSection/9999/'),
    headers: nrps,
  });
  await record('memberships, the v1 container Accept', {
    path: memberships,
    headers: { ...bearer(), accept: MEDIA_TYPE.membershipContainerV1 },
  });
  return exchanges;
}
