import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportSPKI } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_ASSERTION_TYPE, MEDIA_TYPE, SCOPE } from '../../src/lti/claims.js';
import { signJwt } from '../../src/lti/sign.js';
import { parseTokenBody } from '../../src/lti/service-client.js';
import { insperaRecommendedSettings } from '../../src/moodle/settings.js';
import { parseForm } from '../../src/util/html.js';
import { startPlatform, type EmbeddedPlatform } from '../../src/sim/platform/server.js';
import { defaultWorld } from '../../src/sim/world.js';
import { CHROME_USER_AGENT } from '../../src/sim/browser.js';
import { MOODLE_LINES, describeLine, moodleRelease, releaseFromVersionNumber } from '../../src/moodle/versions.js';
import { fixtureKey } from '../helpers/sim.js';

const platformKey = fixtureKey('platform');
const toolKey = fixtureKey('tool');
const otherKey = fixtureKey('other');
let platform: EmbeddedPlatform;
let root: string;
let keysetServer: Server;
let keysetUrl: string;
const REDIRECT = 'https://uni.inspera.com/ltiprovider/launch';

beforeAll(async () => {
  keysetServer = createServer((req, res) => {
    if (req.url === '/jwks') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [toolKey.jwk] }));
    } else res.writeHead(404).end('<html>not found</html>');
  });
  await new Promise<void>((r) => keysetServer.listen(0, '127.0.0.1', r));
  keysetUrl = `http://127.0.0.1:${(keysetServer.address() as AddressInfo).port}/jwks`;
  platform = await startPlatform({
    wwwroot: 'http://placeholder',
    clientId: 'EhdzqulqmXxNDkw',
    typeId: '3',
    tool: {
      toolUrl: REDIRECT,
      loginInitUrl: 'https://uni.inspera.com/ltiprovider/init',
      redirectUrls: [REDIRECT],
      keysetUrl,
      customParameters: 'enroll_candidates=true',
    },
    settings: insperaRecommendedSettings(),
    key: platformKey,
    world: defaultWorld(),
    fetchKeyset: async (url) => {
      const response = await fetch(url);
      return { status: response.status, body: await response.text() };
    },
  });
  root = platform.server.origin;
  platform.setup.wwwroot = root;
});
afterAll(async () => {
  await platform.close();
  keysetServer.close();
});

/** Log in as Moodle wants it: the login page's logintoken and guest session, then the POST. */
async function session(username = 'ada'): Promise<string> {
  const page = await fetch(`${root}/login/index.php`);
  const guest = /MoodleSession=(\w+)/.exec(page.headers.get('set-cookie') ?? '')![1]!;
  const { logintoken } = parseForm(await page.text())!.fields;
  const response = await fetch(`${root}/login/index.php`, {
    method: 'POST',
    body: new URLSearchParams({ username, password: 'any', logintoken: logintoken! }),
    redirect: 'manual',
    headers: { cookie: `MoodleSession=${guest}` },
  });
  expect(response.status).toBe(303);
  expect(response.headers.get('location')).toMatch(/testsession=\d+$/);
  return /MoodleSession=(\w+)/.exec(response.headers.get('set-cookie') ?? '')![1]!;
}

/** Log in, open the activity, return the login-initiation fields and the session cookie. */
async function startLaunch(username = 'ada') {
  const sid = await session(username);
  const page = await fetch(`${root}/mod/lti/launch.php?id=12`, { headers: { cookie: `MoodleSession=${sid}` } });
  return { sid, fields: parseForm(await page.text())!.fields };
}

async function auth(sid: string | undefined, params: Record<string, string>) {
  const response = await fetch(`${root}/mod/lti/auth.php?${new URLSearchParams(params)}`, {
    headers: sid ? { cookie: `MoodleSession=${sid}` } : {},
  });
  const html = await response.text();
  return { status: response.status, html, form: parseForm(html) };
}

function authParams(
  fields: Record<string, string>,
  change: Record<string, string | undefined> = {},
): Record<string, string> {
  const params: Record<string, string | undefined> = {
    scope: 'openid',
    response_type: 'id_token',
    response_mode: 'form_post',
    prompt: 'none',
    client_id: fields.client_id,
    redirect_uri: REDIRECT,
    login_hint: fields.login_hint,
    lti_message_hint: fields.lti_message_hint,
    state: 'st4te',
    nonce: 'n0nce',
    ...change,
  };
  return Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined)) as Record<string, string>;
}

describe('certs.php and discovery', () => {
  it("serves exactly one RS256 key in Moodle's field order", async () => {
    const response = await fetch(`${root}/mod/lti/certs.php`);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const { keys } = (await response.json()) as { keys: Array<Record<string, string>> };
    expect(keys).toHaveLength(1);
    expect(Object.keys(keys[0]!)).toEqual(['kty', 'alg', 'kid', 'e', 'n', 'use']);
    expect(keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' });
    expect(keys[0]!.kid).toMatch(/^[0-9a-f]{20}$/);
  });

  it('publishes the discovery document with the issuer byte for byte', async () => {
    const document = (await (await fetch(`${root}/mod/lti/openid-configuration.php`)).json()) as Record<
      string,
      unknown
    >;
    expect(document.issuer).toBe(root);
    expect(document.token_endpoint).toBe(`${root}/mod/lti/token.php`);
    expect(document['https://purl.imsglobal.org/spec/lti-platform-configuration']).toMatchObject({
      product_family_code: 'moodle',
    });
  });
});

describe("launch.php and auth.php, in Moodle's order", () => {
  it('launch.php posts the login initiation Moodle sends', async () => {
    const { fields } = await startLaunch();
    expect(Object.keys(fields)).toEqual([
      'iss',
      'target_link_uri',
      'login_hint',
      'lti_message_hint',
      'client_id',
      'lti_deployment_id',
    ]);
    expect(fields).toMatchObject({
      iss: root,
      login_hint: '42',
      client_id: 'EhdzqulqmXxNDkw',
      lti_deployment_id: '3',
      target_link_uri: REDIRECT,
    });
    expect(JSON.parse(fields.lti_message_hint!)).toMatchObject({
      cmid: 12,
      launchid: expect.stringMatching(/^ltilaunch4_\d+$/),
    });
  });

  it('answers the id_token form on success; the launch state is single use', async () => {
    const { sid, fields } = await startLaunch();
    const ok = await auth(sid, authParams(fields));
    expect(ok.form?.name).toBe('ltiAuthForm');
    expect(ok.form?.action).toBe(REDIRECT);
    expect(Object.keys(ok.form!.fields)).toEqual(['id_token', 'state']);
    expect(ok.form!.fields.state).toBe('st4te');
    const again = await auth(sid, authParams(fields));
    expect(again.status).toBe(404);
    expect(again.html).toContain('Invalid request');
    expect(again.form).toBeUndefined();
  });

  it.each([
    ['a missing nonce', { nonce: undefined }],
    ['no launch id in the hint', { lti_message_hint: '{"cmid":12}' }],
    ['scope other than openid', { scope: 'profile' }],
    ['response_type other than id_token', { response_type: 'code' }],
    ['an unregistered redirect_uri', { redirect_uri: REDIRECT + '/' }],
  ])('%s: the "Invalid request" page, nothing posted back', async (_name, change) => {
    const { sid, fields } = await startLaunch();
    const answer = await auth(sid, authParams(fields, change));
    expect(answer.html).toContain('<p class="errormessage">Invalid request</p>');
    expect(answer.form).toBeUndefined();
  });

  it.each([
    ['a wrong client_id', { client_id: 'someOtherClient' }, 'unauthorized_client', undefined],
    ["another user's login_hint", { login_hint: '43' }, 'access_denied', undefined],
    ['no response_mode', { response_mode: undefined }, 'invalid_request', 'Invalid response_mode'],
    ['prompt=login', { prompt: 'login' }, 'invalid_request', 'Invalid prompt'],
  ])('%s: posted back as an OAuth error with the state', async (_name, change, error, description) => {
    const { sid, fields } = await startLaunch();
    const answer = await auth(sid, authParams(fields, change));
    expect(answer.form?.name).toBe('ltiAuthForm');
    expect(answer.form?.fields).toEqual({
      error,
      ...(description ? { error_description: description } : {}),
      state: 'st4te',
    });
  });

  it('without a Moodle session answers the cross-site repost page', async () => {
    const { fields } = await startLaunch();
    const answer = await auth(undefined, authParams(fields));
    expect(answer.form?.name).toBe('autopostme');
    expect(answer.form?.fields).toEqual({ repost: 'true' });
  });
});

async function assertion(
  options: { sub?: string; kid?: string | null; key?: typeof toolKey; iat?: number; nbf?: number; exp?: number } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = {
    iss: 'EhdzqulqmXxNDkw',
    sub: options.sub ?? 'EhdzqulqmXxNDkw',
    aud: `${root}/mod/lti/token.php`,
    iat: options.iat ?? now,
    exp: options.exp ?? now + 300,
  };
  if (options.nbf !== undefined) payload.nbf = options.nbf;
  return signJwt(payload, options.key ?? toolKey, {
    kid: options.kid === undefined ? (options.key ?? toolKey).kid : options.kid,
  });
}

async function token(fields: Record<string, string>, contentType = 'application/x-www-form-urlencoded') {
  const response = await fetch(`${root}/mod/lti/token.php`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: new URLSearchParams(fields),
  });
  return { status: response.status, body: await response.text() };
}

const tokenFields = async (change: Record<string, string> = {}) => ({
  grant_type: 'client_credentials',
  client_assertion_type: CLIENT_ASSERTION_TYPE,
  client_assertion: await assertion(),
  scope: `${SCOPE.score} ${SCOPE.lineItem}`,
  ...change,
});

describe('token.php', () => {
  it('grants the permitted scopes in the requested order, 3600 s bearer', async () => {
    const answer = await token(
      await tokenFields({ scope: `${SCOPE.score} https://example.com/unknown ${SCOPE.nrps}` }),
    );
    expect(answer.status).toBe(200);
    const body = JSON.parse(answer.body) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: `${SCOPE.score} ${SCOPE.nrps}` });
    expect(body.access_token).toMatch(/^[0-9a-f]{32}$/);
    expect(answer.body).toContain('"access_token" : "');
  });

  it.each([
    ['a JSON content type', async () => token(await tokenFields(), 'application/json'), 'invalid_request'],
    [
      'a content type with a space before ";"',
      async () => token(await tokenFields(), 'application/x-www-form-urlencoded ; charset=utf-8'),
      'invalid_request',
    ],
    ['no scope', async () => token(await tokenFields({ scope: '' })), 'invalid_request'],
    ['a wrong grant type', async () => token(await tokenFields({ grant_type: 'password' })), 'unsupported_grant_type'],
    [
      'an assertion without sub',
      async () => token(await tokenFields({ client_assertion: await assertion({ sub: '' }) })),
      'invalid_request',
    ],
    [
      'an unknown client id',
      async () => token(await tokenFields({ client_assertion: await assertion({ sub: 'unknownClient12' }) })),
      'invalid_client',
    ],
    [
      'a key not in the keyset',
      async () => token(await tokenFields({ client_assertion: await assertion({ key: otherKey }) })),
      '"kid" invalid, unable to lookup correct key',
    ],
    [
      'no kid',
      async () => token(await tokenFields({ client_assertion: await assertion({ kid: null }) })),
      'error/Error: kid must be provided in JWT header.',
    ],
    [
      'the right kid but another key',
      async () => token(await tokenFields({ client_assertion: await assertion({ key: otherKey, kid: toolKey.kid }) })),
      'Signature verification failed',
    ],
    [
      'an expired assertion',
      async () =>
        token(await tokenFields({ client_assertion: await assertion({ exp: Math.floor(Date.now() / 1000) - 1 }) })),
      'Expired token',
    ],
    [
      'iat in the future',
      async () =>
        token(await tokenFields({ client_assertion: await assertion({ iat: Math.floor(Date.now() / 1000) + 100 }) })),
      /^Cannot handle token with iat prior to \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/,
    ],
    [
      'nbf in the future',
      async () =>
        token(await tokenFields({ client_assertion: await assertion({ nbf: Math.floor(Date.now() / 1000) + 100 }) })),
      /^Cannot handle token with nbf prior to /,
    ],
    ['only scopes not permitted', async () => token(await tokenFields({ scope: SCOPE.toolSettings })), 'invalid_scope'],
  ])("%s → 400 with Moodle's error text", async (_name, call, expected) => {
    const answer = await call();
    expect(answer.status).toBe(400);
    const { error } = parseTokenBody(answer.body);
    if (typeof expected === 'string') expect(error).toBe(expected);
    else expect(error).toMatch(expected);
  });

  it('answers the kid error as invalid JSON, as Moodle does', async () => {
    const answer = await token(await tokenFields({ client_assertion: await assertion({ key: otherKey }) }));
    expect(() => JSON.parse(answer.body)).toThrow();
    expect(parseTokenBody(answer.body)).toMatchObject({
      error: '"kid" invalid, unable to lookup correct key',
      lenient: true,
    });
  });

  it('answers a fatal HTML page when the tool keyset cannot be downloaded', async () => {
    const saved = platform.setup.tool.keysetUrl;
    platform.setup.tool.keysetUrl = keysetUrl.replace('/jwks', '/missing');
    platform.state.cachedKeyset = undefined;
    try {
      const answer = await token(await tokenFields());
      expect(answer.status).toBe(404);
      expect(answer.body).toContain('Exception - jwks_helper::fix_jwks_alg()');
    } finally {
      platform.setup.tool.keysetUrl = saved;
    }
  });
});

describe('token.php with Public key type = RSA key', () => {
  it('verifies with the configured key, ignores the kid, and says when no key is configured', async () => {
    const saved = { ...platform.setup.tool };
    try {
      delete platform.setup.tool.keysetUrl;
      platform.setup.tool.publicKeyPem = await exportSPKI(toolKey.publicKey);
      expect((await token(await tokenFields({ client_assertion: await assertion({ kid: 'anything' }) }))).status).toBe(
        200,
      );
      platform.setup.tool.publicKeyPem = '';
      expect(parseTokenBody((await token(await tokenFields())).body).error).toBe('error/No public key configured');
    } finally {
      platform.setup.tool = saved;
    }
  });
});

async function bearer(scope: string): Promise<string> {
  const answer = await token(await tokenFields({ scope }));
  return (JSON.parse(answer.body) as { access_token: string }).access_token;
}

async function postScore(body: unknown, options: { token?: string; contentType?: string; url?: string } = {}) {
  const url = options.url ?? `${root}/mod/lti/services.php/7/lineitems/55/lineitem/scores?type_id=3`;
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      'content-type': options.contentType ?? MEDIA_TYPE.score,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: response.status,
    reason: response.statusText,
    body: await response.text(),
    type: response.headers.get('content-type'),
  };
}

describe('services.php AGS and NRPS', () => {
  const score = (change: Record<string, unknown> = {}) => ({
    userId: '43',
    scoreGiven: 7,
    scoreMaximum: 10,
    timestamp: new Date().toISOString(),
    activityProgress: 'Completed',
    gradingProgress: 'FullyGraded',
    ...change,
  });

  it('401 without a token or without the score scope', async () => {
    expect((await postScore(score())).status).toBe(401);
    const readOnly = await bearer(SCOPE.lineItemReadonly);
    const denied = await postScore(score(), { token: readOnly });
    expect(denied.status).toBe(401);
    expect(JSON.parse(denied.body)).toMatchObject({ status: 401, reason: 'Unauthorized', request: { method: 'POST' } });
  });

  it('records a FullyGraded score, rescaled to the grade item, with an empty 200', async () => {
    const t = await bearer(SCOPE.score);
    const answer = await postScore(score({ userId: '42', timestamp: '2030-01-01T10:00:00Z' }), { token: t });
    expect(answer).toMatchObject({
      status: 200,
      body: '',
      type: 'application/vnd.ims.lis.v1.score+json; charset=utf-8',
    });
    expect(platform.state.grade(55, 42)).toMatchObject({
      grade: 70,
      timemodified: Date.parse('2030-01-01T10:00:00Z') / 1000,
    });
    // Same timestamp again: 409, whole seconds compared.
    const again = await postScore(score({ userId: '42', timestamp: '2030-01-01T10:00:00.500Z' }), { token: t });
    expect(again.status).toBe(409);
    expect(again.reason).toBe('Refusing score with an earlier timestamp for item 55 and user 42');
    // Pending clears the grade; the next post is never refused.
    expect(
      (
        await postScore(score({ userId: '42', gradingProgress: 'Pending', timestamp: '2030-01-01T10:00:01Z' }), {
          token: t,
        })
      ).status,
    ).toBe(200);
    expect(platform.state.grade(55, 42)).toMatchObject({ grade: null, timemodified: null });
    expect((await postScore(score({ userId: '42', timestamp: '2029-01-01T00:00:00Z' }), { token: t })).status).toBe(
      200,
    );
  });

  it.each([
    ['no timestamp', { timestamp: undefined }],
    ['scoreGiven without scoreMaximum', { scoreMaximum: undefined }],
    ['a bad timestamp', { timestamp: 'yesterday' }],
    ['a teacher as userId', { userId: '3' }],
  ])('%s → 400 Incorrect score received with the raw body', async (_name, change) => {
    const body = JSON.stringify(score(change));
    const answer = await postScore(body, { token: await bearer(SCOPE.score) });
    expect(answer.status).toBe(400);
    expect(answer.reason).toBe(`Incorrect score received${body}`);
    expect(answer.body).toBe('[]');
  });

  it('No handler found for /scores after the query string or a JSON content type', async () => {
    const t = await bearer(SCOPE.score);
    const wrongUrl = await postScore(score(), {
      token: t,
      url: `${root}/mod/lti/services.php/7/lineitems/55/lineitem?type_id=3/scores`,
    });
    expect(wrongUrl.status).toBe(400);
    const wrongType = await postScore(score(), { token: t, contentType: 'application/json' });
    expect(wrongType.status).toBe(400);
    // "{path} {accept} {contenttype}": a POST has no accept, so two spaces.
    expect(JSON.parse(wrongType.body).reason).toBe(
      'No handler found for /7/lineitems/55/lineitem/scores  application/json',
    );
    expect(wrongType.reason).toBe('No handler found for /7/lineitems/55/lineitem/scores  application/json');
  });

  it('lists line items and creates one with column management', async () => {
    const t = await bearer(`${SCOPE.lineItem}`);
    const created = await fetch(`${root}/mod/lti/services.php/7/lineitems?type_id=3`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t}`, 'content-type': MEDIA_TYPE.lineItem },
      body: JSON.stringify({ label: 'Essay', scoreMaximum: 40 }),
    });
    expect(created.status).toBe(201);
    const list = (await (
      await fetch(`${root}/mod/lti/services.php/7/lineitems?type_id=3`, {
        headers: { authorization: `Bearer ${t}`, accept: MEDIA_TYPE.lineItemContainer },
      })
    ).json()) as Array<{ label: string }>;
    expect(list.map((i) => i.label)).toEqual(['Exam 1', 'Essay']);
  });

  it(
    'NRPS lists members as Moodle does: short role names, its key ' + 'order, privacy, role filter and paging',
    async () => {
      const t = await bearer(SCOPE.nrps);
      const url = `${root}/mod/lti/services.php/CourseSection/7/bindings/3/memberships`;
      const get = (query = '') =>
        fetch(`${url}${query}`, { headers: { authorization: `Bearer ${t}`, accept: MEDIA_TYPE.membershipContainer } });
      const response = await get();
      const body = (await response.json()) as { members: Array<Record<string, unknown>> };
      const ada = body.members.find((m) => m.user_id === '42')!;
      expect(Object.keys(ada)).toEqual([
        'status',
        'roles',
        'user_id',
        'lis_person_sourcedid',
        'name',
        'given_name',
        'family_name',
        'email',
        'ext_user_username',
      ]);
      expect(ada).toMatchObject({
        status: 'Active',
        roles: ['Learner'],
        name: 'Ada Lovelace',
        email: 'ada@example.edu',
        ext_user_username: 'ada',
      });
      const learners = (await (
        await get('?role=http%3A%2F%2Fpurl.imsglobal.org%2Fvocab%2Flis%2Fv2%2Fmembership%23Learner')
      ).json()) as typeof body;
      expect(learners.members.map((m) => m.roles)).toEqual([['Learner'], ['Learner']]);
      const first = await get('?limit=1');
      expect(first.headers.get('link')).toBe(`<${url}?limit=1&from=1>; rel="next"`);
      expect(((await first.json()) as typeof body).members).toHaveLength(1);
      const last = await get('?limit=1&from=2');
      expect(last.headers.get('link')).toBeNull();
      expect((await get('?rlid=999')).status).toBe(404);
    },
  );
});

describe.each(MOODLE_LINES.map((line) => [describeLine(line), line] as const))(
  'Moodle %s on the wire: every row of the version model (src/moodle/versions.ts)',
  (_label, line) => {
    const release = moodleRelease(`${line.major}.${line.minor}.${line.plays}`);
    const { wire } = line;
    let saved: typeof platform.setup.world.moodle;
    beforeAll(() => {
      saved = platform.setup.world.moodle;
      platform.setup.world.moodle = release;
    });
    afterAll(() => {
      platform.setup.world.moodle = saved;
    });

    it('sets the session cookie with its SameSite and HttpOnly, for Chrome on an https site', async () => {
      platform.setup.wwwroot = 'https://moodle.example.edu';
      try {
        const page = await fetch(`${root}/login/index.php`, { headers: { 'user-agent': CHROME_USER_AGENT } });
        const cookie = page.headers.get('set-cookie') ?? '';
        expect(cookie).toMatch(/^MoodleSession=\w+; path=\/; secure/);
        expect(cookie.includes('; HttpOnly')).toBe(wire.cookiesHttpOnly);
        expect(/SameSite=(\w+)/.exec(cookie)?.[1]).toBe(wire.sessionSameSite === 'lax' ? 'Lax' : 'None');
        const firefox = await fetch(`${root}/login/index.php`, { headers: { 'user-agent': 'Firefox/133.0' } });
        expect(/SameSite=(\w+)/.exec(firefox.headers.get('set-cookie') ?? '')?.[1]).toBe(
          wire.sessionSameSite === 'lax' ? 'Lax' : undefined,
        );
        // The Moodle app: None after MDL-83526 (is_moodle_app()); before it, not Chrome, so none.
        const app = await fetch(`${root}/login/index.php`, { headers: { 'user-agent': 'MoodleMobile 4.5.0' } });
        expect(/SameSite=(\w+)/.exec(app.headers.get('set-cookie') ?? '')?.[1]).toBe(
          wire.sessionSameSite === 'lax' ? 'None' : undefined,
        );
      } finally {
        platform.setup.wwwroot = root;
      }
    });

    it('answers launch.php without a session as this release does', async () => {
      const answer = await fetch(`${root}/mod/lti/launch.php?id=12&triggerview=0`, { redirect: 'manual' });
      if (wire.launchWithoutSession === 'login-redirect') {
        expect(answer.status).toBe(303);
        expect(answer.headers.get('location')).toBe(`${root}/login/index.php`);
      } else {
        expect(answer.status).toBe(200);
        const form = parseForm(await answer.text());
        expect(form?.name).toBe('ltiInitiateLoginForm');
        expect(form?.fields.login_hint).toBe('0');
      }
    });

    it("words token.php's clock errors as its php-jwt does", async () => {
      const ahead = Math.floor(Date.now() / 1000) + 30;
      const early = await token(await tokenFields({ client_assertion: await assertion({ iat: ahead }) }));
      expect(early.status).toBe(400);
      expect(early.body).toContain(
        wire.tokenTimeMessages === 'iat-or-nbf'
          ? 'Cannot handle token with iat prior to'
          : 'Cannot handle token prior to',
      );
    });

    it('keeps a score at the time this release keeps, and refuses an older one where it does', async () => {
      const t = await bearer(SCOPE.score);
      const user = '43';
      const score = (timestamp: string, given = 5) => ({
        userId: user,
        scoreGiven: given,
        scoreMaximum: 10,
        timestamp,
        activityProgress: 'Completed',
        gradingProgress: 'FullyGraded',
      });
      const past = (seconds: number) => new Date(Date.now() - seconds * 1000).toISOString();
      // Start clean: no grade yet for this learner.
      platform.state.grades.delete(`55:${user}`);
      expect((await postScore(score(past(120), 4), { token: t })).status).toBe(200);
      const kept = platform.state.grade(55, 43)!.timemodified!;
      const now = Math.floor(Date.now() / 1000);
      if (wire.scoreTime === 'server-time') expect(now - kept).toBeLessThan(5);
      else expect(Math.abs(now - 120 - kept)).toBeLessThan(2);
      // A newer score than the last one, but older than the server's clock: 4.2 refuses it, 4.5 keeps it.
      const newer = await postScore(score(past(60), 6), { token: t });
      expect(newer.status).toBe(wire.scoreTime === 'server-time' ? 409 : 200);
    });

    it("reports its version in the id_token's tool_platform and in openid-configuration.php", async () => {
      const { sid, fields } = await startLaunch();
      const answer = await auth(sid, authParams(fields));
      const payload = JSON.parse(Buffer.from(answer.form!.fields.id_token!.split('.')[1]!, 'base64url').toString());
      expect(payload['https://purl.imsglobal.org/spec/lti/claim/tool_platform'].version).toBe(release.version);
      expect(release.version).toBe(`${line.branchDate}${String(line.plays).padStart(2, '0')}`);
      const discovery = await (await fetch(`${root}/mod/lti/openid-configuration.php`)).json();
      expect(JSON.stringify(discovery)).toContain(release.release);
      expect(releaseFromVersionNumber(release.version)?.line).toBe(line);
    });

    it('titles login and activity pages, refuses a login without logintoken, frames Embed as it does', async () => {
      const site = platform.setup.world.siteName;
      const titled = wire.pageTitles === 'with-site';
      const login = await (await fetch(`${root}/login/index.php`)).text();
      expect(/<title>([^<]*)<\/title>/.exec(login)?.[1]).toBe(
        titled ? `Log in to the site | ${site}` : `${site}: Log in to the site`,
      );
      const refused = await fetch(`${root}/login/index.php`, {
        method: 'POST',
        body: new URLSearchParams({ username: 'ada', password: 'x' }),
        redirect: 'manual',
      });
      expect(refused.status).toBe(303);
      expect(refused.headers.get('location')).toBe(
        wire.refusedLogin === 'loginredirect' ? `${root}/login/index.php?loginredirect=1` : `${root}/login/index.php`,
      );
      const container = platform.setup.settings.launchContainer;
      platform.setup.settings.launchContainer = 'embed';
      try {
        const sid = await session();
        const view = await (
          await fetch(`${root}/mod/lti/view.php?id=12`, { headers: { cookie: `MoodleSession=${sid}` } })
        ).text();
        expect(/<title>([^<]*)<\/title>/.exec(view)?.[1]).toBe(titled ? `ABC101: Exam 1 | ${site}` : 'ABC101: Exam 1');
        const allow = /allow="([^"]*)"/.exec(view)?.[1] ?? '';
        expect(allow.endsWith(';')).toBe(wire.iframeAllowEndsWithSemicolon);
        // Every feature for the tool's origin, as view.php builds $ltiallow from the Tool URL.
        const origin = new URL(platform.setup.tool.toolUrl).origin;
        expect(allow.replace(/;$/, '').split('; ')).toEqual(
          ['microphone', 'camera', 'geolocation', 'midi', 'encrypted-media', 'autoplay'].map((f) => `${f} ${origin}`),
        );
      } finally {
        platform.setup.settings.launchContainer = container;
      }
    });

    it('titles its "Invalid request" page as this release does', async () => {
      const answer = await auth(await session(), { scope: 'openid' });
      expect(answer.status).toBe(404);
      expect(/<title>([^<]*)<\/title>/.exec(answer.html)?.[1]).toBe(
        wire.pageTitles === 'with-site' ? `Error | ${platform.setup.world.siteName}` : 'Error',
      );
      // Its documentation link names the branch, as get_docs_url() does ($branch: '405', '502').
      const { major, minor } = platform.setup.world.moodle.line;
      expect(answer.html).toContain(`https://docs.moodle.org/${major}${String(minor).padStart(2, '0')}/en/error/`);
    });
  },
);
