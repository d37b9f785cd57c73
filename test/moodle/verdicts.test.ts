import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { pattern } from '../helpers/pattern.js';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { moodle, playedRelease } from './harness/site.js';
import { startServe, stopServe } from '../helpers/serve.js';
import { cli, initAndRecord, passwordFile, useWorkDir } from './helpers.js';

/**
 * simulate against the real Moodle says only what happened (issue 18, items 1–5): the recorded values fill the flags,
 * the tool's side is staged, a missing activity and Moodle's posted-back errors are named, and load with grades
 * leaves no score dated ahead of the clock.
 */
const workPath = useWorkDir();
let work: string;
let password: string;

beforeAll(async () => {
  const info = moodle();
  work = join(workPath(), 'admin');
  await mkdir(work);
  await initAndRecord(work);
  password = await passwordFile(work, info.users.ada);
});

async function launch(extra: string[], command: 'launch' | 'grade' = 'launch') {
  const info = moodle();
  const result = await cli(
    [
      'simulate',
      command,
      '--json',
      '--platform-url',
      info.wwwroot,
      '--cmid',
      String(info.cmid),
      '--username',
      'ada',
      '--password-file',
      password,
      ...extra,
    ],
    work,
  );
  return { ...result, doc: result.stdout ? JSON.parse(result.stdout) : undefined };
}

describe('simulate against the real Moodle: every verdict true', () => {
  it(
    'the recorded Client ID and Deployment ID, and the tool where the ' + "config's tenant points: no flags needed",
    async () => {
      const { code, doc, stderr } = await launch([]);
      expect(code, stderr).toBe(0);
      expect(doc.world).toMatchObject({
        clientId: moodle().details.clientid,
        deploymentId: moodle().details.deploymentid,
        toolServer: `http://127.0.0.1:${moodle().toolPort}`,
      });
      expect(stderr).not.toMatch(/embedded tool answers at/);
    },
  );

  it.each([
    [
      'wrong-client-id',
      (doc: { launch: { stage: string; cause?: { id: string } } }) =>
        expect([doc.launch.stage, doc.launch.cause?.id]).toEqual(['login-initiation', 'client-id']),
    ],
    [
      'issuer-trailing-slash',
      (doc: { launch: { stage: string } }) => expect(doc.launch.stage).toBe('login-initiation'),
    ],
    [
      'wrong-deployment-id',
      (doc: { launch: { verdict: string } }) => expect(doc.launch.verdict).toMatch(/deployment_id/),
    ],
    ['unknown-kid', (doc: { launch: { verdict: string } }) => expect(doc.launch.verdict).toMatch(/kid/)],
  ])(
    '%s is staged in the embedded tool\'s registration and reproduced, never "launch accepted"',
    async (name, shows) => {
      const { code, doc } = await launch(['--scenario', name]);
      expect(code).toBe(1);
      expect(doc.scenario.reproduced, doc.launch.verdict).toBe(true);
      expect(doc.launch.verdict).not.toMatch(/launch accepted/);
      shows(doc);
    },
  );

  it.each(['tool-sends-repost', 'tool-cookie-samesite-lax'])(
    "%s says why it cannot show: the tool is on Moodle's own site",
    async (name) => {
      const { doc } = await launch(['--scenario', name]);
      expect(doc.scenario.reproduced).toBe(false);
      expect(doc.scenario.unreproducedBecause).toMatch(
        /^the tool is on the platform's own site \(http:\/\/127\.0\.0\.1\)/,
      );
    },
  );

  it(
    'an activity Moodle does not have is "no such activity", in ' + "Moodle's own words, with how to find the id",
    async () => {
      const { code, doc } = await launch(['--cmid', '99999']);
      expect(code).toBe(1);
      expect(doc.launch.verdict).toMatch(
        pattern(
          /^no such activity: Moodle has no activity with id 99999 \(\/mod\/lti\/view\.php answered /,
          /HTTP 404 "Can't find data record in database/,
        ),
      );
      expect(doc.launch.cause.id).toBe('no-activity');
    },
  );

  it('a Client ID the tool does not hold: refused at the login, named with its fix, as doctor names it', async () => {
    const { doc } = await launch(['--client-id', 'WrongClient1234']);
    expect(doc.launch.stage).toBe('login-initiation');
    expect(doc.launch.cause).toMatchObject({ id: 'client-id', fix: { field: 'Client ID' } });
    const doctor = JSON.parse((await cli(['doctor', '--error', 'error=unauthorized_client', '--json'], work)).stdout);
    expect(doctor.problems[0].cause).toBe('client-id');
  });

  it(
    'load with grades over two accounts leaves no score ahead of the ' + 'clock, and the next ordinary grade is taken',
    async () => {
      const { users } = moodle();
      const file = join(work, 'users.txt');
      await writeFile(
        file,
        `${users.ada.username}:${users.ada.password}\n${users.alan.username}:${users.alan.password}\n`,
        { mode: 0o600 },
      );
      const load = await cli(
        [
          'simulate',
          'grade',
          '--json',
          '--platform-url',
          moodle().wwwroot,
          '--cmid',
          String(moodle().cmid),
          '--users-file',
          file,
          '--count',
          '8',
          '--concurrency',
          '4',
        ],
        work,
      );
      expect(JSON.parse(load.stdout).load, load.stderr).toMatchObject({ succeeded: 8, failed: 0 });
      // The next whole second: a score in the same second as the last is Moodle's 409 whatever the client does.
      await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 10));
      const { code, doc } = await launch([], 'grade');
      expect(code, doc.grade?.verdict).toBe(0);
      expect(doc.grade.scores[0].status).toBe(200);
      expect(doc.grade.readBack).toBeTruthy();
      if (doc.grade.readBack.timestamp)
        expect(Date.parse(doc.grade.readBack.timestamp)).toBeLessThanOrEqual(Date.now());
    },
  );
});

describe('the embedded Moodle sets its cookies as this Moodle does (issue 23, item 4)', () => {
  it('the login: the session cookie and MOODLEID1_ (deleted, then set) have the same shape on both', async () => {
    const shape = (line: string) =>
      line
        .replace(/=[^;]*/, '=<value>')
        .replace(/expires=[^;]+/i, (m) => (/1970/.test(m) ? m : 'expires=<date>'))
        .replace(/Max-Age=(?!0;)\d+/, 'Max-Age=<n>');
    const loginCookies = async (platformUrl: string, extra: string[], env: NodeJS.ProcessEnv = {}) => {
      const har = join(work, `login-${Math.random().toString(36).slice(2)}.har`);
      await cli(
        ['simulate', 'launch', '--platform-url', platformUrl, '--username', 'ada', '--har', har, ...extra],
        work,
        env,
      );
      const entries = JSON.parse(await readFile(har, 'utf8')).log.entries as Array<{
        request: { method: string; url: string };
        response: { headers: Array<{ name: string; value: string }> };
      }>;
      const login = entries.find((e) => e.request.method === 'POST' && e.request.url.endsWith('/login/index.php'))!;
      return login.response.headers.filter((h) => h.name.toLowerCase() === 'set-cookie').map((h) => shape(h.value));
    };
    const real = await loginCookies(moodle().wwwroot, ['--cmid', String(moodle().cmid), '--password-file', password]);
    const served = await startServe(['platform', '--moodle-version', playedRelease().number], {
      cwd: work,
      env: { INSPERA_LTI_KEYS_DIR: moodle().keysDir },
    });
    try {
      const embedded = await loginCookies(
        served.info.listening,
        ['--client-id', 'EhdzqulqmXxNDkw', '--deployment-id', '3'],
        {
          MOODLE_PASSWORD: 'any',
        },
      );
      expect(real).toContain('MOODLEID1_=<value>; expires=Thu, 01 Jan 1970 00:00:01 GMT; Max-Age=0; path=/; HttpOnly');
      expect(embedded.filter((l) => l.startsWith('MOODLEID1_'))).toEqual(
        real.filter((l) => l.startsWith('MOODLEID1_')),
      );
      expect(embedded.filter((l) => l.startsWith('MoodleSession'))).toEqual(
        real.filter((l) => l.startsWith('MoodleSession')),
      );
    } finally {
      await stopServe(served.child);
    }
  });
});
