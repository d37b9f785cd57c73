// An LTI 1.3 tool built on ltijs (https://cvmcosta.github.io/ltijs), run by the interop suite as a third-party tool:
// ltijs's own login, id_token validation and AGS client, registered for the embedded platform of one test.
// Configured by the environment; prints one JSON line per event on stdout ("ready", "launch", "members", "score").
const lti = require('ltijs').Provider;
const Database = require('ltijs-sequelize');

const env = process.env;
const platform = env.PLATFORM;
const say = (event) => process.stdout.write(JSON.stringify(event) + '\n');

const db = new Database(env.DB_NAME, 'ltijs', '', {
  host: '127.0.0.1',
  port: Number(env.DB_PORT),
  dialect: 'postgres',
  logging: false,
});
lti.setup(
  'interop-suite-ltijs-key',
  { plugin: db },
  {
    appRoute: '/launch',
    loginRoute: '/login',
    keysetRoute: '/keys',
    cookies: { secure: false, sameSite: '' },
    devMode: false,
  },
);

lti.onConnect(async (token, _req, res) => {
  say({ event: 'launch', user: token.user, roles: token.platformContext.roles });
  // custom nrps_limit=<n>: read the course's members through NRPS, n a page (while the platform still runs).
  const limit = Number(token.platformContext.custom?.nrps_limit);
  if (limit) {
    try {
      const members = await lti.NamesAndRoles.getMembers(token, { limit, pages: false });
      say({
        event: 'members',
        ok: true,
        limit,
        members: members.members.map((m) => ({ user_id: m.user_id, roles: m.roles })),
      });
    } catch (error) {
      say({ event: 'members', ok: false, limit, error: error.message });
    }
  }
  res.send(`<html><body><h1>ltijs: welcome, user ${token.user}</h1></body></html>`);
  const endpoint = token.platformContext.endpoint;
  if (!env.SCORE || !endpoint?.lineitem) return;
  try {
    const answer = await lti.Grade.submitScore(token, endpoint.lineitem, {
      userId: token.user,
      scoreGiven: Number(env.SCORE),
      scoreMaximum: 10,
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
    });
    say({ event: 'score', ok: true, answer });
  } catch (error) {
    say({ event: 'score', ok: false, error: error.message });
  }
});

(async () => {
  await lti.deploy({ port: Number(env.PORT), silent: true });
  await lti.registerPlatform({
    url: platform,
    name: 'inspera-lti embedded Moodle',
    clientId: env.CLIENT_ID,
    authenticationEndpoint: `${platform}/mod/lti/auth.php`,
    accesstokenEndpoint: `${platform}/mod/lti/token.php`,
    authConfig: { method: 'JWK_SET', key: `${platform}/mod/lti/certs.php` },
  });
  say({ event: 'ready' });
})().catch((error) => {
  process.stderr.write(`ltijs did not start: ${error.stack || error}\n`);
  process.exit(1);
});
