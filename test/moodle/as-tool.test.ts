import { readFile, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/harness.js';
import { moodle, site } from './harness/site.js';
import { cli, useWorkDir } from './helpers.js';

const workPath = useWorkDir();

/** Whether something listens on 127.0.0.1:port now. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => resolve(true)).once('error', () => resolve(false));
    socket.once('close', () => socket.destroy());
    socket.once('connect', () => socket.end());
  });
}

/**
 * Moodle is an LTI 1.3 tool too ("Publish as LTI tool", built on the lti1p3 PHP library): a third-party tool the
 * embedded platform launches into, as a tool vendor's CI would launch into theirs.
 */
describe('the embedded platform launching into Moodle as an LTI tool', () => {
  let flags: string[] = [];
  let platformPort = 0;
  let enrolid = 0;
  let savedExtra = '';
  const extra = () => join(moodle().root, 'config-extra.php');
  beforeAll(async () => {
    const info = moodle();
    platformPort = await freePort();
    const published = await site<{ uniqueid: string; uuid: string; enrolid: number }>('publish-as-tool', {
      platform: `http://127.0.0.1:${platformPort}`,
      clientId: 'EhdzqulqmXxNDkw',
      deploymentId: '3',
    });
    enrolid = published.enrolid;
    // Both Moodles answer on 127.0.0.1, and a browser keeps cookies by host, not port: the tool's session cookie
    // needs a name of its own, as it would have on a host of its own.
    savedExtra = await readFile(extra(), 'utf8');
    await writeFile(extra(), `${savedExtra}$CFG->sessioncookie = 'tool';\n`);
    flags = [
      '--tool-login-url',
      `${info.wwwroot}/enrol/lti/login.php?id=${published.uniqueid}`,
      '--tool-launch-url',
      `${info.wwwroot}/enrol/lti/launch.php`,
      '--tool-keyset-url',
      `${info.wwwroot}/enrol/lti/jwks.php`,
      '--platform-port',
      String(platformPort),
      '--custom',
      `id=${published.uuid}`,
    ];
  });
  afterAll(async () => {
    if (savedExtra) await writeFile(extra(), savedExtra);
  });

  it(
    "a learner: Moodle's cookie check, its OIDC login, the id_token " +
      'it validates, and a new user in the published course',
    async () => {
      const result = await cli(['simulate', 'launch', '--json', ...flags], workPath());
      const doc = JSON.parse(result.stdout);
      expect(doc.launch.verdict, result.stderr).toBe('the tool answered the launch with HTTP 200');
      expect(result.code).toBe(0);
      const steps = doc.launch.steps as Array<{ method: string; url: string; status: number; note: string | null }>;
      const paths = steps.map((s) => `${s.method} ${new URL(s.url).pathname}`);
      // login.php sets its test cookies and comes back to itself before it sends the browser to auth.php.
      expect(steps.some((s) => s.url.includes('/enrol/lti/login.php') && s.url.includes('cookiecheck1='))).toBe(true);
      expect(paths).toContain('POST /enrol/lti/launch.php');
      // With frame embedding off (Moodle's default) the tool answers a page that links to the course, rather than
      // redirecting.
      expect(steps.at(-1)).toMatchObject({
        method: 'POST',
        status: 200,
        note: 'launch: the id_token is posted to the tool',
      });
      expect(new URL(steps.at(-1)!.url).pathname).toBe('/enrol/lti/launch.php');
      const enrolled = await site<Array<{ username: string; auth: string }>>('lti-enrolments', { enrolid });
      expect(enrolled).toEqual([expect.objectContaining({ auth: 'lti' })]);
    },
  );

  it(
    'its cron against the embedded platform: member sync (NRPS) ' +
      "enrols the course's people, grade sync (AGS) posts the score",
    async () => {
      const [user] = await site<Array<{ id: number; lastaccess: number }>>('lti-enrolments', { enrolid });
      const since = Math.floor(Date.now() / 1000);
      const cron = async () => {
        // The grade run's platform must answer before Moodle's cron calls it (the previous test's launch may have
        // moved the last access within this second already).
        for (let tries = 0; !(await accepts(platformPort)); tries++) {
          if (tries > 100) throw new Error(`the grade run's platform never listened on ${platformPort}`);
          await new Promise((r) => setTimeout(r, 100));
        }
        // Once the launch reached Moodle (its LTI user's last access moved), the member sync runs, a teacher marks the
        // learner 7/10, and the grade sync runs.
        for (let tries = 0; ; tries++) {
          const [now] = await site<Array<{ lastaccess: number }>>('lti-enrolments', { enrolid });
          if (now!.lastaccess >= since) break;
          if (tries > 100) throw new Error('the launch did not reach Moodle');
          await new Promise((r) => setTimeout(r, 200));
        }
        const members = await site<{ log: string }>('sync-members', {});
        const received = Number(/(\d+) members received/.exec(members.log)?.[1]);
        expect(received, members.log).toBeGreaterThanOrEqual(3);
        // The teacher is not made automatically (instructors are asked first, the form's default), the learners are.
        const skipped = members.log.match(/not eligible for automatic creation/g)?.length ?? 0;
        expect(skipped, members.log).toBeGreaterThanOrEqual(1);
        expect((await site<unknown[]>('lti-enrolments', { enrolid })).length, members.log).toBe(received - skipped);
        const sync = await site<{ log: string }>('grade-and-sync', { enrolid, userid: user!.id, grade: 7, max: 10 });
        expect(sync.log).toMatch(/Success - The grade '0\.7/);
      };
      const waiting = cli(['simulate', 'grade', '--json', ...flags, '--wait', '40'], workPath());
      try {
        await cron();
      } catch (error) {
        // The waiting run holds the platform's port: let it end before the next test needs it.
        await waiting;
        throw error;
      }
      const result = await waiting;
      const doc = JSON.parse(result.stdout);
      expect(doc.grade.verdict, result.stderr).toBe('the tool posted a score: Moodle holds 70/100 for user 42');
      expect(result.code).toBe(0);
    },
  );

  it('takes the same id_token posted again in the same browser: a finding, never "reproduced"', async () => {
    // enrol_lti keeps a launch's nonce in the session after the launch (launch_cache_session::checkNonceIsValid), so
    // a second post from the same session is answered as the first — the back button or a double submit.
    const result = await cli(['simulate', 'launch', '--json', ...flags, '--scenario', 'nonce-replay'], workPath());
    const doc = JSON.parse(result.stdout);
    expect(doc.launch.replay).toEqual({ refused: false, status: 200 });
    expect(doc.launch.verdict).toBe('the tool accepted a replayed id_token (HTTP 200) — it must refuse a second use');
    expect(doc.scenario.reproduced).toBe(false);
    expect(result.code).toBe(1);
  });
});
