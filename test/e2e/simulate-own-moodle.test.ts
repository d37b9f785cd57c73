import { fileURLToPath } from 'node:url';
import { pattern } from '../helpers/pattern.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { freePort } from '../helpers/harness.js';
import { startServe, stopServe, type Served } from '../helpers/serve.js';

/**
 * simulate against a Moodle of the user's (--platform-url), here `serve platform` in another process, set up for the
 * tenant the config names: the recorded values fill the flags, the embedded tool answers where Moodle's tool points,
 * the tool's side is staged in its registration, and what Moodle answers is named (issue 18, items 1–4).
 */
const KEYS = fileURLToPath(new URL('../../fixtures/keys/', import.meta.url));
let dir: { path: string; cleanup: () => Promise<void> };
let platform: Served;
let toolPort: number;
const run = (args: string[]) =>
  runCli(args, { cwd: dir.path, env: { INSPERA_LTI_KEYS_DIR: KEYS, MOODLE_PASSWORD: 'any' } });
const launch = async (extra: string[]) => {
  const result = await run([
    'simulate',
    'launch',
    '--json',
    '--platform-url',
    platform.info.listening,
    '--username',
    'ada',
    ...extra,
  ]);
  return { ...result, doc: result.stdout ? JSON.parse(result.stdout) : undefined };
};

beforeAll(async () => {
  dir = await tempDir();
  toolPort = await freePort();
  await run(['init', '--domain', `http://127.0.0.1:${toolPort}`, '--allow-insecure', '--yes']);
  // serve platform reads the same config: its tool is the tenant's URLs, as an admin would have entered them.
  platform = await startServe(['platform'], { cwd: dir.path, env: { INSPERA_LTI_KEYS_DIR: KEYS } });
  const details = platform.info.toolConfigurationDetails;
  await run([
    'record',
    '--platform-id',
    details['Platform ID'],
    '--client-id',
    details['Client ID'],
    '--deployment-id',
    details['Deployment ID'],
    '--allow-insecure',
  ]);
});
afterAll(async () => {
  await stopServe(platform.child);
  await dir.cleanup();
});

describe("simulate --platform-url against a Moodle set up for the config's tenant", () => {
  it(
    'takes the Client ID and Deployment ID from the recorded values, ' + 'and runs the tool where the tenant points',
    async () => {
      const { code, doc, stderr } = await launch([]);
      expect(code, stderr).toBe(0);
      expect(doc.world.clientId).toBe(platform.info.toolConfigurationDetails['Client ID']);
      expect(doc.world.toolServer).toBe(`http://127.0.0.1:${toolPort}`);
      expect(stderr).not.toMatch(/embedded tool answers at/);
    },
  );

  it("says, when the launch fails, that the tool runs where Moodle's tool does not point", async () => {
    const elsewhere = await freePort();
    const { stderr } = await launch(['--tool-port', String(elsewhere)]);
    expect(stderr).toMatch(
      new RegExp(
        `the embedded tool answers at http://127\\.0\\.0\\.1:${elsewhere}, ` +
          `but the config's tenant, for which Moodle's ` +
          `tool was set up, is http://127\\.0\\.0\\.1:${toolPort}`,
      ),
    );
  });

  it('recorded values of another Moodle are not used: exit 2, saying so', async () => {
    const result = await run(['simulate', 'launch', '--platform-url', 'http://127.0.0.1:9', '--username', 'ada']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /--platform-url needs --client-id and --deployment-id: the recorded values are of another Moodle/,
    );
  });

  it.each([
    ['wrong-client-id', /holds client_id/],
    ['issuer-trailing-slash', /iss/],
    ['wrong-deployment-id', /deployment/],
    ['unknown-kid', /kid/],
  ])("the tool-side scenario %s is staged in the embedded tool's registration and reproduced", async (name, words) => {
    const { code, doc } = await launch(['--scenario', name]);
    expect(code).toBe(1);
    expect(doc.scenario.reproduced, doc.launch.verdict).toBe(true);
    expect(doc.launch.verdict).toMatch(words);
  });

  it('a scenario that would change nothing here is refused, exit 2 (the Platform ID is already http)', async () => {
    const { code, stderr } = await launch(['--scenario', 'issuer-http']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--scenario issuer-http changes nothing in this set-up/);
  });

  it.each(['tool-cookie-samesite-lax', 'tool-sends-repost'])(
    "%s says why it cannot show with the tool on Moodle's own site",
    async (name) => {
      const { doc } = await launch(['--scenario', name]);
      expect(doc.scenario.reproduced).toBe(false);
      expect(doc.scenario.unreproducedBecause).toMatch(
        /^the tool is on the platform's own site \(http:\/\/127\.0\.0\.1\) — ports do not make another site/,
      );
    },
  );

  it('--expect reproduced: exit 0 when the scenario showed its failure, 1 when it did not', async () => {
    const shown = await launch(['--scenario', 'wrong-client-id', '--expect', 'reproduced']);
    expect(shown.doc.scenario.reproduced).toBe(true);
    expect(shown.code).toBe(0);
    expect(shown.stderr).toContain('--expect reproduced: it was (exit 0)');
    const unshown = await launch(['--scenario', 'tool-sends-repost', '--expect', 'reproduced']);
    expect(unshown.doc.scenario.reproduced).toBe(false);
    expect(unshown.code).toBe(1);
    expect(unshown.stderr).toContain('--expect reproduced: it was not (exit 1)');
    // JUnit follows the expectation: the scenario is a passing test case, the failure it made is its output.
    const junit = await run([
      'simulate',
      'launch',
      '--platform-url',
      platform.info.listening,
      '--username',
      'ada',
      '--scenario',
      'wrong-client-id',
      '--expect',
      'reproduced',
      '--reporter',
      'junit',
    ]);
    expect(junit.code).toBe(0);
    expect(junit.stdout).toMatch(/<testsuites name="inspera-lti" tests="\d+" failures="0">/);
    expect(junit.stdout).toMatch(
      /<testcase classname="[^"]*" name="scenario\.wrong-client-id: [^"]*\(--expect reproduced\)"\/>/,
    );
    expect(junit.stdout).toMatch(/<system-out>warning: as the scenario makes it: /);
    const alone = await launch(['--expect', 'reproduced']);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toMatch(/--expect reproduced needs --scenario/);
  });

  it('a missing activity is "no such activity" with how to find the id', async () => {
    const { code, doc, stdout } = await launch(['--cmid', '999']);
    expect(code).toBe(1);
    expect(doc.launch.verdict).toMatch(
      pattern(
        /^no such activity: Moodle has no activity with id 999 \(\/mod\/lti\/view\.php answered HTTP /,
        /404 "Can't find data record in database\.?"\) — .*id= in its address/,
      ),
    );
    expect(doc.launch.cause.id).toBe('no-activity');
    expect(stdout).not.toMatch(/did not answer a login initiation form/);
  });

  it('a Client ID the tool does not hold: it refuses the login, named with cause and fix, as doctor does', async () => {
    // The tool registered Xq8…; Moodle's activity sends its own Client ID: a real tool refuses it (ltijs, pylti1.3).
    const { code, doc } = await launch(['--client-id', 'Xq8mWn2PzL5tR7v']);
    expect(code).toBe(1);
    expect(doc.launch.stage).toBe('login-initiation');
    expect(doc.launch.verdict).toMatch(/holds client_id "EhdzqulqmXxNDkw"/);
    expect(doc.launch.cause.id).toBe('client-id');
    expect(doc.launch.cause.fix.field).toBe('Client ID');
    const said = /No LTI 1\.3 registration[^.]*\./.exec(doc.launch.verdict)![0];
    const doctor = JSON.parse((await run(['doctor', '--error', said, '--json'])).stdout);
    expect(doctor.problems[0].cause).toBe(doc.launch.cause.id);
    // Moodle's own refusal of a Client ID still names the same cause.
    const posted = JSON.parse((await run(['doctor', '--error', 'unauthorized_client', '--json'])).stdout);
    expect(posted.problems[0].cause).toBe('client-id');
    const human = await run([
      'simulate',
      'launch',
      '--platform-url',
      platform.info.listening,
      '--username',
      'ada',
      '--client-id',
      'Xq8mWn2PzL5tR7v',
    ]);
    expect(human.stdout).toMatch(/Cause: Client ID differs between Moodle and Inspera/);
    expect(human.stdout).toMatch(/Fix in Inspera .*"Client ID"/);
  });
});

describe('load reports through the one table of reporters', () => {
  it('the open model honours --reporter junit (it printed the human text before)', async () => {
    const result = await runCli(['simulate', 'launch', '--rate', '4', '--duration', '1', '--reporter', 'junit'], {
      cwd: dir.path,
      env: { INSPERA_LTI_KEYS_DIR: KEYS },
    });
    expect(result.stdout).toMatch(/^<\?xml[\s\S]*<testsuite name="simulate load \(open model\)"/);
  });
});

describe('same-site honesty (issue 23, item 6)', () => {
  it(
    "--block-third-party-cookies with the tool on Moodle's own site " + 'says it changes nothing there, and why',
    async () => {
      const { doc, stdout } = await launch(['--block-third-party-cookies']);
      expect(doc.notes.join(' ')).toMatch(
        /^--block-third-party-cookies changes nothing here: the tool and Moodle are one site \(http:\/\/127\.0\.0\.1\)/,
      );
      const human = await run([
        'simulate',
        'launch',
        '--platform-url',
        platform.info.listening,
        '--username',
        'ada',
        '--block-third-party-cookies',
      ]);
      expect(human.stdout).toMatch(/Note: --block-third-party-cookies changes nothing here/);
      expect(stdout).not.toMatch(/Note:/);
    },
  );
});
