import type { ChildProcess } from 'node:child_process';
import { pattern } from '../helpers/pattern.js';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectNoStackTrace, runCli, tempDir } from '../helpers/cli.js';
import { freePort } from '../helpers/harness.js';
import { asToolArgs, registeredToolArgs, startServe, stopServe } from '../helpers/serve.js';

const KEYS = fileURLToPath(new URL('../../fixtures/keys/', import.meta.url));
const ENV = { INSPERA_LTI_KEYS_DIR: KEYS };
let dir: { path: string; cleanup: () => Promise<void> };
beforeAll(async () => (dir = await tempDir()));
afterAll(async () => dir.cleanup());
const run = (args: string[]) => runCli(args, { cwd: dir.path, env: ENV });

describe('inspera-lti simulate', () => {
  it('launch: both sides embedded, every step, the decoded id_token, checks and a verdict; exit 0', async () => {
    const result = await run(['simulate', 'launch', '--persona', 'instructor']);
    expect(result.code).toBe(0);
    expectNoStackTrace(result);
    expect(result.stdout).toContain('POST https://university.inspera.com/ltiprovider/init → 302');
    expect(result.stdout).toContain('GET  https://moodle.example.edu/mod/lti/auth.php → 200');
    expect(result.stdout).toContain('"http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"');
    expect(result.stdout).toContain('✔ Signature: RS256 signature verified');
    expect(result.stdout).toMatch(/✔ Verdict: launch accepted by the tool\n$/);
  });

  it('launch --json: one document with steps, payload and checks', async () => {
    const result = await run([
      'simulate',
      'launch',
      '--json',
      '--share-email',
      'never',
      '--custom',
      'enroll_candidates=false',
    ]);
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout);
    expect(doc.ok).toBe(true);
    expect(doc.launch.steps).toHaveLength(9);
    expect(doc.launch.payload.email).toBeUndefined();
    expect(doc.launch.payload['https://purl.imsglobal.org/spec/lti/claim/custom'].enroll_candidates).toBe('false');
    expect(doc.checks.find((c: { id: string }) => c.id === 'tool.inspera.email').status).toBe('warn');
  });

  it('browses like Safari: an embedded launch fails, a new-window launch works', async () => {
    const embedded = await run(['simulate', 'launch', '--launch-container', 'embed', '--block-third-party-cookies']);
    expect(embedded.code).toBe(1);
    expect(embedded.stdout).toContain("launch.php inside the activity page's iframe (Embed)");
    expect(embedded.stdout).toContain("did not send the tool's lti1p3_state cookie");
    expect(
      (await run(['simulate', 'launch', '--launch-container', 'new-window', '--block-third-party-cookies'])).code,
    ).toBe(0);
  });

  it('a failure scenario exits 1 and names cause and fix', async () => {
    const result = await run(['simulate', 'launch', '--scenario', 'wrong-client-id']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/the tool answered the login initiation with HTTP 400 .*holds client_id/);
    expect(result.stdout).toContain('Reproduced: yes');
    expect(result.stdout).toContain('Fix in Inspera');
  });

  it("a scenario points at its own cause's troubleshooting entry, not another cause of the same FAQ", async () => {
    // lost-state-cookie (the iframe) and tool-cookie-samesite-lax (the cookie's attributes) share FAQ F.7.
    for (const [scenario, anchor] of [
      ['lost-state-cookie', '#state-cookie]'],
      ['tool-cookie-samesite-lax', '#tool-cookie-attributes]'],
    ]) {
      const result = await run(['simulate', 'launch', '--scenario', scenario!]);
      expect(result.stdout, scenario).toContain(`troubleshooting.md${anchor}`);
    }
  });

  it('grade: token, score and read back; JUnit report to a file', async () => {
    const result = await run(['simulate', 'grade', '--score', '0.5', '--reporter', 'junit', '--output', 'grade.xml']);
    expect(result.code).toBe(0);
    const xml = await readFile(join(dir.path, 'grade.xml'), 'utf8');
    expect(xml).toContain('<testsuite name="simulate grade"');
    expect(xml).toContain('failures="0"');
    expect(xml).toContain('grade.readback: Grade in the Moodle gradebook');
    const failing = await run(['simulate', 'grade', '--scenario', 'score-older-timestamp', '--reporter', 'junit']);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain(
      '<failure message="the second score POST was refused: Refusing score with an earlier timestamp',
    );
  });

  it('an instructor launch with enroll_candidates=true provisions candidates through NRPS, every page', async () => {
    const paged = await run(['simulate', 'launch', '--json', '--persona', 'instructor', '--nrps-page-size', '1']);
    expect(paged.code).toBe(0);
    const p = JSON.parse(paged.stdout).launch.provisioning;
    expect(p.pages.map((page: { url: string }) => new URL(page.url).search)).toEqual([
      '?limit=1',
      '?limit=1&from=1',
      '?limit=1&from=2',
    ]);
    expect(p.plan.candidates.map((c: { userId: string }) => c.userId)).toEqual(['42', '43']);
    expect(p.plan.skipped).toEqual([{ userId: '3', reason: 'not a learner (Instructor)' }]);
    // Privacy Never: no e-mail in the membership, so learners are skipped (skip_incomplete_members) and why is said.
    const privacy = await run([
      'simulate',
      'launch',
      '--json',
      '--persona',
      'instructor',
      '--share-email',
      'never',
      '--custom',
      'skip_incomplete_members=true',
    ]);
    const q = JSON.parse(privacy.stdout).launch.provisioning;
    expect(q.plan.candidates).toEqual([]);
    expect(
      q.plan.skipped
        .filter((k: { reason: string }) => /no e-mail/.test(k.reason))
        .map((k: { userId: string }) => k.userId),
    ).toEqual(['42', '43']);
    // NRPS off: nothing to read, and the report says why.
    const off = await run(['simulate', 'launch', '--json', '--persona', 'instructor', '--no-nrps']);
    expect(JSON.parse(off.stdout).launch.provisioning.summary).toMatch(
      /no NRPS claim .*Names and Role Provisioning" is off/,
    );
    // A learner's launch provisions nothing.
    expect(JSON.parse((await run(['simulate', 'launch', '--json'])).stdout).launch.provisioning).toBeNull();
  });

  it('names a network failure the way validate does, not as a raw error code', async () => {
    const port = await freePort();
    const result = await runCli(
      [
        'simulate',
        'launch',
        '--json',
        '--platform-url',
        `http://127.0.0.1:${port}`,
        '--client-id',
        'EhdzqulqmXxNDkw',
        '--deployment-id',
        '3',
        '--username',
        'ada',
      ],
      { cwd: dir.path, env: { ...ENV, MOODLE_PASSWORD: 'any' } },
    );
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).launch.verdict).toBe(
      `network error at http://127.0.0.1:${port}/login/index.php: ` +
        `127.0.0.1:${port} refused the connection (nothing ` +
        `listens on that port)`,
    );
  });

  it('lists scenarios, and suggests on a typo with exit 2', async () => {
    const list = await run(['simulate', 'launch', '--list-scenarios', '--json']);
    expect(JSON.parse(list.stdout).length).toBeGreaterThanOrEqual(15);
    const typo = await run(['simulate', 'launch', '--scenario', 'lost-state-cokie']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('did you mean "lost-state-cookie"');
  });

  it('rejects bad numbers and half-given real endpoints with exit 2', async () => {
    expect((await run(['simulate', 'grade', '--score', '2'])).code).toBe(2);
    const leeway = await run(['serve', 'tool', '--leeway', 'soon']);
    expect(leeway.code).toBe(2);
    expect(leeway.stderr).toContain('--leeway "soon" is not a number');
    const half = await run(['simulate', 'launch', '--tool-login-url', 'https://tool.example/init']);
    expect(half.code).toBe(2);
    expect(half.stderr).toContain('--tool-launch-url');
  });

  it('load mode reports throughput and latency', async () => {
    const result = await run(['simulate', 'grade', '--count', '40', '--concurrency', '5', '--json']);
    expect(result.code).toBe(0);
    const { load } = JSON.parse(result.stdout);
    expect(load).toMatchObject({ count: 40, concurrency: 5, succeeded: 40, failed: 0, grade: true });
    expect(load.perSecond).toBeGreaterThan(0);
    expect(load.cpuMsPerLaunch).toBeGreaterThan(0);
    expect(load.latencyMs.p99).toBeGreaterThanOrEqual(load.latencyMs.p50);
  });
});

describe('inspera-lti demo', () => {
  it('runs the embedded end-to-end demo', async () => {
    const result = await run(['demo']);
    expect(result.code).toBe(0);
    expectNoStackTrace(result);
    expect(result.stdout).toContain('✔ Instructor launch');
    expect(result.stdout).toContain('Moodle holds 85/100 for user 42');
    expect(result.stdout).toContain('✔ Failure: Tool state cookie lost');
    const json = await run(['demo', '--json']);
    expect(JSON.parse(json.stdout).summary.every((s: { asExpected: boolean }) => s.asExpected)).toBe(true);
  });
});

describe('inspera-lti serve, and simulate against real endpoints', () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  });

  it('simulate acts as the tool against a running platform (serve platform)', async () => {
    const tool = await startServe(['tool', '--port', '0'], { cwd: dir.path, env: ENV });
    children.push(tool.child);
    const toolUrls = tool.info.urls;
    const platform = await startServe(['platform', ...registeredToolArgs(toolUrls)], { cwd: dir.path, env: ENV });
    children.push(platform.child);
    expect(platform.info.toolConfigurationDetails['Platform ID']).toBe(platform.info.listening);
    expect(platform.info.imitates).toBe('Moodle 5.2.1 (Build: 20260420)');

    // Launch from the embedded platform into the separately running tool.
    const intoTool = await run([
      'simulate',
      'launch',
      '--json',
      '--tool-login-url',
      toolUrls.loginInitUrl,
      '--tool-launch-url',
      toolUrls.redirectUrls[0],
      '--tool-keyset-url',
      toolUrls.keysetUrl,
    ]);
    const intoToolDoc = JSON.parse(intoTool.stdout);
    // The running tool only knows the demo Moodle issuer, so it refuses this platform's: the real answer comes back.
    expect(intoToolDoc.launch.stage).toBe('login-initiation');

    // Act as the tool against the running platform: real launch and grade across processes.
    const port = new URL(toolUrls.loginInitUrl).port;
    expect(port).not.toBe('');
    await stopServe(tool.child);
    const asTool = asToolArgs(platform.info.toolConfigurationDetails, port);
    // A platform of the user's needs a real account: never a built-in password, never a flag value.
    const noPassword = await run(['simulate', 'grade', ...asTool, '--username', 'ada']);
    expect(noPassword.code).toBe(2);
    expect(noPassword.stderr).toMatch(
      /^inspera-lti: no password for the Moodle account ada — .*--password-file <file>.*MOODLE_PASSWORD/,
    );
    const grade = await runCli(['simulate', 'grade', '--json', ...asTool, '--username', 'ada'], {
      cwd: dir.path,
      env: { ...ENV, MOODLE_PASSWORD: 'any' },
    });
    const doc = JSON.parse(grade.stdout);
    expect(JSON.stringify(doc)).not.toContain('"password=any"');
    expect(doc.launch.steps[1].sent.password).toBe('(hidden)');
    expect(doc.launch.verdict).toBe('launch accepted by the tool');
    expect(doc.grade.scores[0].status).toBe(200);
    expect(grade.code).toBe(0);
    const gradebook = (await (await fetch(`${platform.info.listening}/_inspera-lti/gradebook`)).json()) as Array<{
      grade: number;
    }>;
    expect(gradebook[0]!.grade).toBe(80);
    // A capture of a run against a Moodle of the user's holds credentials: mode 600, said so, and the session it
    // holds is logged out; no sesskey, logintoken or Moodle-signed id_token in what is printed (issue 30, item 9).
    const captured = await runCli(['simulate', 'launch', ...asTool, '--username', 'ada', '--har', 'run.har'], {
      cwd: dir.path,
      env: { ...ENV, MOODLE_PASSWORD: 'any' },
    });
    expect(captured.code, captured.stderr).toBe(0);
    const harPath = join(dir.path, 'run.har');
    expect((await stat(harPath)).mode & 0o777).toBe(0o600);
    const har = JSON.parse(await readFile(harPath, 'utf8'));
    expect(har.log.creator.comment).toMatch(/^Holds credentials/);
    const sessionCookie = har.log.entries
      .flatMap((e: { response: { cookies: Array<{ name: string; value: string }> } }) => e.response.cookies)
      .filter((c: { name: string }) => c.name === 'MoodleSession')
      .at(-1).value;
    const after = await fetch(`${platform.info.listening}/my/`, {
      headers: { cookie: `MoodleSession=${sessionCookie}` },
    });
    expect(await after.text()).not.toContain('sesskey');
    const sesskey =
      /"sesskey":"(\w+)"/.exec(JSON.stringify(har))?.[1] ?? /sesskey=(\w+)/.exec(JSON.stringify(har))?.[1];
    expect(sesskey).toBeDefined();
    expect(captured.stdout + captured.stderr).not.toContain(sesskey!);
    const asJson = await runCli(['simulate', 'launch', ...asTool, '--username', 'ada', '--json'], {
      cwd: dir.path,
      env: { ...ENV, MOODLE_PASSWORD: 'any' },
    });
    const launchDoc = JSON.parse(asJson.stdout);
    expect(launchDoc.launch.idToken).toBe('[redacted: signed by a real Moodle]');
    expect(asJson.stdout).not.toMatch(/(sesskey|logintoken)=(?!\[redacted\])\w/);
    // A tool with a made-up token gets Moodle's bare 401; the log tells its developer why.
    const forged = await fetch(`${platform.info.listening}/mod/lti/services.php/7/lineitems/55/lineitem/scores`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer 0123456789abcdef0123456789abcdef',
        'content-type': 'application/vnd.ims.lis.v1.score+json',
      },
      body: '{}',
    });
    expect(forged.status).toBe(401);
    expect(await forged.text()).not.toContain('did not issue');
    expect(await stopServe(platform.child)).toBe(0);
    expect(platform.logs()).toMatch(
      pattern(
        /platform POST \/mod\/lti\/services\.php\/7\/lineitems\/55\/lineitem\/scores 401 — 401 /,
        /Unauthorized: an access token this platform did not issue/,
      ),
    );
    // Each request was logged as it happened, with what the platform made of it.
    expect(platform.logs()).toMatch(/platform POST \/mod\/lti\/token\.php 200 — 200 token/);
    expect(platform.logs()).toMatch(
      /platform POST \/mod\/lti\/services\.php\/7\/lineitems\/55\/lineitem\/scores 200 — 200 grade 80\/100 for user 42/,
    );
    expect(platform.logs()).toContain('SIGTERM: stopping');
    expect(platform.logs()).toContain('imitating Moodle 5.2.1 (Build: 20260420)');
  });

  it('simulate launches from the embedded platform into a running tool (serve tool)', async () => {
    const platformPort = await freePort();
    const tool = await startServe(['tool', '--platform-id', `http://127.0.0.1:${platformPort}`], {
      cwd: dir.path,
      env: ENV,
    });
    children.push(tool.child);
    const urls = tool.info.urls;
    const result = await run([
      'simulate',
      'launch',
      '--json',
      '--platform-port',
      String(platformPort),
      '--tool-login-url',
      urls.loginInitUrl,
      '--tool-launch-url',
      urls.redirectUrls[0],
      '--tool-keyset-url',
      urls.keysetUrl,
    ]);
    const doc = JSON.parse(result.stdout);
    expect(doc.launch.verdict).toBe('launch accepted by the tool');
    expect(doc.world.platform).toBe(`http://127.0.0.1:${platformPort}`);
    expect(result.code).toBe(0);
    expect(await stopServe(tool.child)).toBe(0);
  });
});

/**
 * A small LTI tool of the tests' own (not the CLI's code path), registered for an embedded platform on a fixed port.
 */
async function withGradingTool(
  work: (tool: { origin: string; errors: string[]; tokenRequests: () => number }, urls: string[]) => Promise<void>,
  options: {
    bearer?: string;
    assertionKey?: 'tool';
    acceptsReplays?: boolean;
    loginRedirect?: 'script' | 'meta';
    expectIssuer?: string;
  } = {},
): Promise<void> {
  const { startGradingTool } = await import('../helpers/grading-tool.js');
  const { fixtureKey } = await import('../helpers/sim.js');
  const platformPort = await freePort();
  const tool = await startGradingTool({
    platform: `http://127.0.0.1:${platformPort}`,
    clientId: 'EhdzqulqmXxNDkw',
    key: fixtureKey('other'),
    ...(options.bearer ? { bearer: options.bearer } : {}),
    ...(options.assertionKey ? { assertionKey: fixtureKey(options.assertionKey) } : {}),
    ...(options.acceptsReplays ? { acceptsReplays: true } : {}),
    ...(options.loginRedirect ? { loginRedirect: options.loginRedirect } : {}),
    ...(options.expectIssuer ? { expectIssuer: options.expectIssuer } : {}),
  });
  try {
    await work(tool, [
      '--tool-login-url',
      `${tool.origin}/login`,
      '--tool-launch-url',
      `${tool.origin}/launch`,
      '--tool-keyset-url',
      `${tool.origin}/jwks`,
      '--platform-port',
      String(platformPort),
    ]);
  } finally {
    await tool.close();
  }
}

describe('simulate grade into an external tool', () => {
  it(
    "waits for the tool's own token request and score and reports " +
      'what the gradebook holds; without --wait it says so, exit 1',
    async () => {
      await withGradingTool(async (tool, urls) => {
        const waited = await run(['simulate', 'grade', '--json', ...urls, '--wait', '10']);
        const doc = JSON.parse(waited.stdout);
        expect(doc.launch.ok, doc.launch.verdict).toBe(true);
        expect(doc.grade.verdict).toBe('the tool posted a score: Moodle holds 80/100 for user 42');
        expect(waited.code).toBe(0);
        // The next CI run starts another platform process with the same identity: the tool's cached token still works.
        const again = await run(['simulate', 'grade', '--json', ...urls, '--wait', '10']);
        expect(JSON.parse(again.stdout).grade.verdict).toBe('the tool posted a score: Moodle holds 80/100 for user 42');
        expect(tool.tokenRequests()).toBe(1);
        expect(tool.errors).toEqual([]);
        // Nothing waits: the tool's score then finds no platform, which is the point of the message.
        const unwaited = await run(['simulate', 'grade', '--json', ...urls]);
        expect(unwaited.code).toBe(1);
        expect(JSON.parse(unwaited.stdout).grade.verdict).toMatch(
          /an external tool posts its own grade.*--wait <seconds>/,
        );
      });
      const misuse = await run(['simulate', 'grade', '--wait', '5']);
      expect(misuse.code).toBe(2);
    },
  );
});

describe('simulate grade into an external tool whose token is refused', () => {
  it('says which call was refused and why, not that the tool never asked', async () => {
    await withGradingTool(
      async (_tool, urls) => {
        const result = await run(['simulate', 'grade', '--json', ...urls, '--wait', '3']);
        expect(result.code).toBe(1);
        expect(JSON.parse(result.stdout).grade.verdict).toMatch(
          pattern(
            /^no score arrived within 3 s: the tool called POST /,
            /\/mod\/lti\/services\.php\/\d+\/lineitems\/\d+\/lineitem\/scores with an access token /,
            /this platform did not issue, and Moodle answers that 401 \(it did not ask token\.php for a new one\)$/,
          ),
        );
      },
      { bearer: '0123456789abcdef0123456789abcdef' },
    );
  });

  it("a token request token.php refuses is named with Moodle's answer", async () => {
    await withGradingTool(
      async (_tool, urls) => {
        const result = await run(['simulate', 'grade', '--json', ...urls, '--wait', '3']);
        expect(result.code).toBe(1);
        const grade = JSON.parse(result.stdout).grade;
        expect(grade.stage).toBe('token');
        expect(grade.verdict).toMatch(
          /^no score arrived within 3 s: the tool asked token\.php for an access token, and Moodle answered 400 /,
        );
      },
      { assertionKey: 'tool' },
    );
  });
});

describe('scenarios the CLI cannot stage against your own system', () => {
  it(
    'refuses a tool-side or grade scenario against your tool, and a ' +
      'Moodle-side one against your Moodle, exit 2 before any request',
    async () => {
      const tool = [
        '--tool-login-url',
        'http://127.0.0.1:9/login',
        '--tool-launch-url',
        'http://127.0.0.1:9/launch',
        '--tool-keyset-url',
        'http://127.0.0.1:9/jwks',
      ];
      const inTool = await run(['simulate', 'launch', ...tool, '--scenario', 'wrong-client-id']);
      expect(inTool.code).toBe(2);
      expect(inTool.stderr).toMatch(
        pattern(
          /--scenario wrong-client-id stages its mistake in the tool \(Wrong Client ID registered in /,
          /Inspera\), and with --tool-login-url the tool is yours/,
        ),
      );
      const grade = await run(['simulate', 'grade', ...tool, '--scenario', 'ags-off']);
      expect(grade.code).toBe(2);
      expect(grade.stderr).toMatch(
        pattern(
          /--scenario ags-off is judged by the embedded tool's token request and score.*--wait /,
          /<seconds> with the Moodle setting changed/,
        ),
      );
      const platform = [
        '--platform-url',
        'http://127.0.0.1:9',
        '--client-id',
        'abc',
        '--deployment-id',
        '1',
        '--username',
        'ada',
      ];
      // Both sides real: the platform decides where its activity launches; the tool URLs would go unused.
      const both = await run(['simulate', 'launch', ...platform, ...tool]);
      expect(both.code).toBe(2);
      expect(both.stderr).toMatch(
        /--tool-login-url with --platform-url: a real platform decides which tool its activity launches into/,
      );
      const inMoodle = await run(['simulate', 'launch', ...platform, '--scenario', 'clock-behind']);
      expect(inMoodle.code).toBe(2);
      expect(inMoodle.stderr).toMatch(
        /--scenario clock-behind stages its mistake in Moodle .*, and with --platform-url Moodle is yours/,
      );
      expect(inMoodle.stderr).not.toMatch(/password/i);
      const listed = JSON.parse((await run(['simulate', 'launch', '--list-scenarios', '--json'])).stdout) as Array<{
        name: string;
        changes: string[];
      }>;
      expect(listed.find((s) => s.name === 'nonce-replay')?.changes).toEqual([]);
      expect(listed.find((s) => s.name === 'scope-not-granted')?.changes).toEqual(['Moodle', 'Inspera']);
    },
  );
});

describe('a Moodle-side scenario into a tool that rejects every launch', () => {
  it('is not "reproduced": the same launch without the scenario is rejected too, and the run says so', async () => {
    // The test tool has another issuer registered: it rejects every id_token from this platform.
    await withGradingTool(
      async (_tool, urls) => {
        const result = await run(['simulate', 'launch', '--json', ...urls, '--scenario', 'clock-behind']);
        const doc = JSON.parse(result.stdout);
        expect(doc.launch.ok).toBe(false);
        expect(doc.scenario.reproduced).toBe(false);
        expect(doc.scenario.unreproducedBecause).toMatch(
          pattern(
            /^the tool rejects the launch without the scenario too \(the tool answered the launch with /,
            /HTTP 400: rejected: .*iss/,
          ),
        );
        expect(result.code).toBe(1);
      },
      { expectIssuer: 'https://another-moodle.example.edu' },
    );
  });
});

describe('a tool that redirects by a page', () => {
  it.each(['script', 'meta'] as const)('its %s redirect to auth.php is followed as a browser would', async (how) => {
    await withGradingTool(
      async (_tool, urls) => {
        const result = await run(['simulate', 'launch', '--json', ...urls]);
        const doc = JSON.parse(result.stdout);
        expect(doc.launch.verdict, result.stderr).toBe('the tool answered the launch with HTTP 200');
        const steps = doc.launch.steps as Array<{ method: string; url: string; status: number; note: string | null }>;
        const page = steps.findIndex(
          (s) => s.note === 'the tool answers a page that redirects by script or meta refresh',
        );
        expect(steps[page]).toMatchObject({ method: 'POST', status: 200 });
        expect(steps[page + 1]).toMatchObject({ method: 'GET', status: 200, note: 'Moodle answers the id_token form' });
        expect(new URL(steps[page + 1]!.url).pathname).toBe('/mod/lti/auth.php');
        expect(new URL(steps[page + 1]!.url).searchParams.get('response_mode')).toBe('form_post');
      },
      { loginRedirect: how },
    );
  });
});

describe('a replay against an external tool', () => {
  it(
    "is judged by the tool's answer to the second post: refused is " + 'the scenario reproduced, accepted is a failure',
    async () => {
      await withGradingTool(async (tool, urls) => {
        const result = await run(['simulate', 'launch', '--json', ...urls, '--scenario', 'nonce-replay']);
        const doc = JSON.parse(result.stdout);
        expect(doc.launch.replay).toEqual({ refused: true, status: 400 });
        expect(doc.launch.verdict).toBe(
          'launch accepted (HTTP 200); the replay was refused with HTTP 400: rejected: this nonce was used before',
        );
        expect(doc.scenario.reproduced).toBe(true);
        // (The test tool's own score, posted 300 ms after the launch, may find the run's platform already gone.)
        expect(tool.errors.filter((e) => e !== 'fetch failed')).toEqual(['this nonce was used before']);
      });
      await withGradingTool(
        async (_tool, urls) => {
          const result = await run(['simulate', 'launch', '--json', ...urls, '--scenario', 'nonce-replay']);
          expect(result.code).toBe(1);
          const doc = JSON.parse(result.stdout);
          expect(doc.launch.verdict).toBe(
            'the tool accepted a replayed id_token (HTTP 200) — it must refuse a second use',
          );
          expect(doc.scenario.reproduced).toBe(false);
        },
        { acceptsReplays: true },
      );
    },
  );
});

describe('scenarios against an external tool', () => {
  it(
    'a platform-side scenario is not undone by the tool URLs, and the ' + "tool's own rejection counts as reproduced",
    async () => {
      await withGradingTool(async (_tool, urls) => {
        const redirect = JSON.parse(
          (await run(['simulate', 'launch', '--json', ...urls, '--scenario', 'redirect-uri-not-registered'])).stdout,
        );
        expect(redirect.launch.stage).toBe('authentication');
        expect(redirect.scenario.reproduced).toBe(true);
        // Moodle's clock 2 minutes behind: the id_token has expired when it arrives, and the test tool (jose) rejects
        // it.
        const behind = JSON.parse(
          (await run(['simulate', 'launch', '--json', ...urls, '--scenario', 'clock-behind'])).stdout,
        );
        expect(behind.launch.ok).toBe(false);
        expect(behind.scenario.reproduced).toBe(true);
        // The test tool is on 127.0.0.1 like the platform: a third-party-cookie scenario cannot show, and says why.
        const lost = JSON.parse(
          (await run(['simulate', 'launch', '--json', ...urls, '--scenario', 'lost-state-cookie'])).stdout,
        );
        expect(lost.scenario.reproduced).toBe(false);
        expect(lost.scenario.unreproducedBecause).toMatch(
          /^the tool is on the platform's own site \(http:\/\/127\.0\.0\.1\)/,
        );
        const human = await run(['simulate', 'launch', ...urls, '--scenario', 'lost-state-cookie']);
        expect(human.stdout).toContain("Reproduced: no — the tool is on the platform's own site");
        // Load mode against it: one platform identity (issuer, keyset, port) for every launch, not one per worker.
        const load = await run(['simulate', 'launch', '--json', ...urls, '--count', '6', '--concurrency', '3']);
        expect(JSON.parse(load.stdout).load, load.stderr).toMatchObject({ count: 6, succeeded: 6, failed: 0 });
        expect(load.code).toBe(0);
      });
    },
  );
});

describe('long load runs', () => {
  it("Ctrl-C prints the figures so far and exits 130; the JSON has kind like a single run's", async () => {
    const { spawn } = await import('node:child_process');
    const { BIN } = await import('../helpers/cli.js');
    const child = spawn(
      process.execPath,
      [BIN, 'simulate', 'launch', '--json', '--count', '1000000', '--concurrency', '4'],
      { cwd: dir.path, env: { PATH: process.env.PATH, CI: '1', ...ENV } },
    );
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    await new Promise((r) => setTimeout(r, 2500));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(code).toBe(130);
    const doc = JSON.parse(stdout);
    expect(doc).toMatchObject({ ok: false, kind: 'launch', load: { interrupted: true, count: 1000000 } });
    expect(doc.load.ran).toBeGreaterThan(0);
    expect(doc.load.ran).toBeLessThan(1000000);
  });

  it('at a terminal it shows progress: done, rate, failures', async () => {
    const { spawn } = await import('node:child_process');
    const { BIN } = await import('../helpers/cli.js');
    const out = await new Promise<string>((resolve) => {
      const child = spawn(
        'script',
        ['-qfec', `"${process.execPath}" "${BIN}" simulate launch --count 40 --concurrency 4`, '/dev/null'],
        { cwd: dir.path, env: { PATH: process.env.PATH, INSPERA_LTI_KEYS_DIR: KEYS } },
      );
      let text = '';
      child.stdout.on('data', (d: Buffer) => (text += d.toString()));
      child.on('close', () => resolve(text));
    });
    expect(out).toMatch(/\d+\/40 done · \d+\/s · \d+ failed/);
  });
});

describe("the open model: an exam's first minute", () => {
  it('starts launches on schedule and reports latency percentiles and errors per hop', async () => {
    const result = await run(['simulate', 'launch', '--json', '--rate', '40', '--duration', '1']);
    expect(result.code, result.stderr).toBe(0);
    const { load } = JSON.parse(result.stdout);
    expect(load).toMatchObject({
      kind: 'launch',
      model: 'open',
      rate: 40,
      duration: 1,
      planned: 40,
      completed: 40,
      failed: 0,
      errorsByHop: {},
    });
    expect(Object.keys(load.hops)).toEqual(
      expect.arrayContaining(['login', 'launch.php', 'login initiation', 'auth.php', 'id_token post (tool)']),
    );
    expect(load.hops['auth.php'].count).toBe(40);
    // A failing launch counts against the hop where it stopped.
    const failing = JSON.parse(
      (
        await run([
          'simulate',
          'launch',
          '--json',
          '--rate',
          '20',
          '--duration',
          '1',
          '--scenario',
          'redirect-uri-not-registered',
        ])
      ).stdout,
    );
    expect(failing.load.errorsByHop).toEqual({ 'auth.php': 20 });
  });

  it('real load needs --yes-load-test: refused before anything is sent to a host other than 127.0.0.1', async () => {
    for (const args of [
      [
        '--rate',
        '5',
        '--duration',
        '1',
        '--platform-url',
        'https://moodle.example.edu',
        '--client-id',
        'EhdzqulqmXxNDkw',
        '--deployment-id',
        '3',
        '--username',
        'ada',
      ],
      [
        '--count',
        '5',
        '--tool-login-url',
        'https://tool.example/init',
        '--tool-launch-url',
        'https://tool.example/launch',
        '--tool-keyset-url',
        'https://tool.example/jwks',
      ],
    ]) {
      const result = await runCli(['simulate', 'launch', ...args], {
        cwd: dir.path,
        env: { ...ENV, MOODLE_PASSWORD: 'x' },
      });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/is real load on a real system — add --yes-load-test/);
    }
    expect((await run(['simulate', 'launch', '--rate', '5'])).stderr).toMatch(/needs both --rate and --duration/);
  });
});
