import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, startLtijs, type LtijsTool } from './ltijs.js';

/** ltijs's word for asking token.php (its debug log), so a test can tell a cached access token from a new one. */
const tokenRequests = (tool: LtijsTool) =>
  tool.debug.filter((line) => line.includes('Attempting to generate new access_token')).length;

describe('simulate into ltijs, a certified LTI 1.3 tool library', () => {
  let tool: LtijsTool;
  beforeAll(async () => {
    tool = await startLtijs({ score: 7 });
  });
  afterAll(async () => tool?.stop());

  it(
    'a launch: ltijs answers the login initiation, verifies the ' + 'id_token, and redirects to its app with an ltik',
    async () => {
      const result = await cli(['simulate', 'launch', '--json', ...tool.flags]);
      const doc = JSON.parse(result.stdout);
      expect(doc.launch.verdict, result.stderr).toBe('the tool answered the launch with HTTP 200');
      expect(result.code).toBe(0);
      const steps = doc.launch.steps as Array<{
        method: string;
        url: string;
        status: number;
        note: string | null;
        sent: Record<string, string>;
      }>;
      const posted = steps.find((s) => s.note === 'launch: the id_token is posted to the tool')!;
      expect(posted).toMatchObject({ method: 'POST', url: `${tool.origin}/launch`, status: 302 });
      expect(steps.at(-1)).toMatchObject({ method: 'GET', status: 200, note: "the tool's page, after its redirect" });
      expect(steps.at(-1)!.url.startsWith(`${tool.origin}/launch?ltik=`)).toBe(true);
      expect(tool.events).toContainEqual(expect.objectContaining({ event: 'launch', user: '42' }));
      // ltijs posts its score after answering; this run's platform is gone by then. Let that attempt end here, so
      // that it is not counted as the next test's.
      for (let i = 0; i < 100 && !tool.events.some((e) => e.event === 'score'); i++)
        await new Promise((r) => setTimeout(r, 50));
      expect(tool.events.filter((e) => e.event === 'score')).toEqual([expect.objectContaining({ ok: false })]);
    },
  );

  it(
    'a grade: ltijs asks token.php and posts the score; the next ' + "run's platform takes the token ltijs kept",
    async () => {
      const asked = tokenRequests(tool);
      const before = tool.events.length;
      for (const round of [1, 2]) {
        const result = await cli(['simulate', 'grade', '--json', ...tool.flags, '--wait', '15']);
        const doc = JSON.parse(result.stdout);
        expect(doc.grade.verdict, `round ${round}: ${result.stderr}`).toBe(
          'the tool posted a score: Moodle holds 70/100 for user 42',
        );
        expect(result.code).toBe(0);
      }
      // One token for both runs: a new platform process, the same identity (before, the second run's score was a 401).
      expect(tokenRequests(tool) - asked).toBe(1);
      expect(
        tool.events
          .slice(before)
          .filter((e) => e.event === 'score')
          .map((e) => e.ok),
      ).toEqual([true, true]);
    },
  );

  it('load: a closed loop and the open model, every launch through ltijs', async () => {
    const closed = await cli(['simulate', 'launch', '--json', ...tool.flags, '--count', '20', '--concurrency', '4']);
    expect(JSON.parse(closed.stdout).load, closed.stderr).toMatchObject({
      count: 20,
      concurrency: 4,
      succeeded: 20,
      failed: 0,
    });
    const open = await cli(['simulate', 'launch', '--json', ...tool.flags, '--rate', '10', '--duration', '2']);
    const doc = JSON.parse(open.stdout).load;
    expect(doc, open.stderr).toMatchObject({ started: 20, succeeded: 20, failed: 0 });
    expect(Object.keys(doc.hops)).toEqual(
      expect.arrayContaining(['login initiation', 'auth.php', 'id_token post (tool)']),
    );
    expect(open.code).toBe(0);
    // With grades: each launch waits for the score ltijs posts for that learner.
    const graded = await cli([
      'simulate',
      'grade',
      '--json',
      ...tool.flags,
      '--count',
      '12',
      '--concurrency',
      '4',
      '--wait',
      '15',
    ]);
    expect(JSON.parse(graded.stdout).load, graded.stderr).toMatchObject({
      count: 12,
      grade: true,
      succeeded: 12,
      failed: 0,
    });
  });

  it('Moodle-side mistakes, judged by what ltijs answered', async () => {
    const expired = JSON.parse(
      (await cli(['simulate', 'launch', '--json', ...tool.flags, '--scenario', 'clock-behind'])).stdout,
    );
    expect(expired.scenario.reproduced).toBe(true);
    expect(expired.launch.verdict).toMatch(/^the tool answered the launch with HTTP 401: .*jwt expired/);
    const replay = JSON.parse(
      (await cli(['simulate', 'launch', '--json', ...tool.flags, '--scenario', 'nonce-replay'])).stdout,
    );
    expect(replay.launch.replay).toEqual({ refused: true, status: 401 });
    expect(replay.scenario.reproduced).toBe(true);
    const redirect = JSON.parse(
      (await cli(['simulate', 'launch', '--json', ...tool.flags, '--scenario', 'redirect-uri-not-registered'])).stdout,
    );
    expect(redirect.scenario.reproduced).toBe(true);
    expect(redirect.launch.stage).toBe('authentication');
    // ltijs checks the id_token's age (iat at most 10 s old) but not an iat in the future: the run says so, never
    // "reproduced".
    const ahead = JSON.parse(
      (await cli(['simulate', 'launch', '--json', ...tool.flags, '--scenario', 'clock-ahead'])).stdout,
    );
    expect(ahead.scenario.reproduced).toBe(false);
    expect(ahead.launch.verdict).toBe('the tool answered the launch with HTTP 200');
  });

  it(
    'embedded on another site with third-party cookies blocked, ltijs ' +
      'loses its state cookie, and doctor names that',
    async () => {
      // On 127.0.0.1 beside the platform the iframe is same-site: the cookie stays, nothing to reproduce.
      const sameSite = JSON.parse(
        (await cli(['simulate', 'launch', '--json', ...tool.flags, '--scenario', 'lost-state-cookie'])).stdout,
      );
      expect(sameSite.scenario.reproduced).toBe(false);
      expect(sameSite.scenario.unreproducedBecause).toMatch(
        /^the tool is on the platform's own site \(http:\/\/127\.0\.0\.1\).*another host name/,
      );
      const har = join(tmpdir(), `ltijs-lost-cookie-${process.pid}.har`);
      const crossSite = JSON.parse(
        (
          await cli([
            'simulate',
            'launch',
            '--json',
            ...tool.crossSiteFlags,
            '--scenario',
            'lost-state-cookie',
            '--har',
            har,
          ])
        ).stdout,
      );
      expect(crossSite.launch.verdict).toMatch(
        /^the tool answered the launch with HTTP 401: .*MISSING_VALIDATION_COOKIE/,
      );
      expect(crossSite.scenario.reproduced).toBe(true);
      expect(crossSite.scenario.unreproducedBecause).toBeUndefined();
      const diagnosis = JSON.parse((await cli(['doctor', '--json', '--error', crossSite.launch.verdict])).stdout);
      expect(diagnosis.problems[0].cause).toBe('state-cookie');
      // The browser capture alone, as support would get it: the cookie ltijs set and the POST that came without it.
      const fromHar = await cli(['doctor', '--json', '--har', har]);
      await rm(har, { force: true });
      expect(JSON.parse(fromHar.stdout).problems[0]?.cause, fromHar.stdout).toBe('state-cookie');
    },
  );
});

describe('ltijs reading the course through NRPS', () => {
  let tool: LtijsTool;
  beforeAll(async () => {
    tool = await startLtijs();
  });
  afterAll(async () => tool?.stop());

  it('gets a token and every member, a page at a time or all at once alike, following the Link header', async () => {
    const read = async (limit: number) => {
      const result = await cli(['simulate', 'launch', '--json', ...tool.flags, '--custom', `nrps_limit=${limit}`]);
      expect(JSON.parse(result.stdout).launch.ok, result.stderr).toBe(true);
      const event = tool.events.filter((e) => e.event === 'members' && e.limit === limit).at(-1) as unknown as {
        ok: boolean;
        error?: string;
        members: Array<{ user_id: string; roles: string[] }>;
      };
      expect(event.ok, event.error).toBe(true);
      return event.members;
    };
    const paged = await read(1);
    const whole = await read(100);
    expect(paged.length).toBeGreaterThanOrEqual(3);
    expect(paged).toEqual(whole);
    // Moodle's NRPS writes the short role names (Learner), not the URIs the id_token carries.
    expect(whole.some((m) => m.roles.includes('Learner'))).toBe(true);
  });
});

describe('ltijs registered with another Client ID', () => {
  let tool: LtijsTool;
  beforeAll(async () => {
    tool = await startLtijs({ clientId: 'another-client-id' });
  });
  afterAll(async () => tool?.stop());

  it("refuses the login initiation, and the run stops there with ltijs's answer", async () => {
    const result = await cli(['simulate', 'launch', '--json', ...tool.flags]);
    expect(result.code).toBe(1);
    const doc = JSON.parse(result.stdout);
    expect(doc.launch.stage).toBe('login-initiation');
    expect(doc.launch.verdict).toMatch(/^the tool answered the login initiation with HTTP 400 .*UNREGISTERED_PLATFORM/);
    // What ltijs said, handed to doctor: both registrations it looks up by, the issuer first.
    const diagnosis = JSON.parse((await cli(['doctor', '--json', '--error', doc.launch.verdict])).stdout);
    expect(diagnosis.problems.map((p: { cause: string }) => p.cause)).toEqual(['issuer-mismatch', 'client-id']);
  });
});
