import { writeFile } from 'node:fs/promises';
import { pattern } from '../helpers/pattern.js';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { goodClaims, unsignedToken } from '../helpers/unsigned-token.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoStackTrace, initAndRecord, runCli, tempDir } from '../helpers/cli.js';
import { freePort } from '../helpers/harness.js';
import { registeredToolArgs, startServe, stopServe, type Served } from '../helpers/serve.js';
import { toolUrlsFor } from '../../src/inspera/urls.js';

/** What doctor says must follow from the evidence, and an unread input is never health (issue 18, items 6–10). */
const KEYS = fileURLToPath(new URL('../../fixtures/keys/', import.meta.url));
let dir: { path: string; cleanup: () => Promise<void> };
const run = (args: string[], options: { cwd?: string; input?: string } = {}) =>
  runCli(args, {
    cwd: options.cwd ?? dir.path,
    env: { INSPERA_LTI_KEYS_DIR: KEYS },
    ...(options.input !== undefined ? { input: options.input } : {}),
  });
const causes = (stdout: string) =>
  (JSON.parse(stdout) as { problems: Array<{ cause: string }> }).problems.map((p) => p.cause);

beforeAll(async () => {
  dir = await tempDir();
  await initAndRecord(run);
});
afterAll(async () => {
  await dir.cleanup();
});

describe('doctor --error: an unread message is never health', () => {
  it('with a config whose checks pass, an unknown message is still exit 1 and "not diagnosed"', async () => {
    const result = await run(['doctor', '--error', 'the flux capacitor overheated', '--json']);
    expect(result.code).toBe(1);
    const doc = JSON.parse(result.stdout);
    expect(doc.ok).toBe(false);
    expect(doc.passed.length).toBeGreaterThan(0);
    expect(doc.verdict).toMatch(/^Not diagnosed: the error message/);
    const human = await run(['doctor', '--error', 'the flux capacitor overheated']);
    expect(human.code).toBe(1);
    expect(human.stdout).not.toMatch(/healthy/i);
  });
});

describe('doctor --error reads what Moodle shows or posts back, in every form it is pasted', () => {
  // Every form is tested on the engine (test/doctor/honest.test.ts); here, that the command reads two of them.
  it.each([
    ['the form body auth.php posts back', 'error=unauthorized_client&state=abc123', ['client-id']],
    ["token.php's JSON", '{\n  "error" : "invalid_client"\n}', ['client-unknown']],
  ])('%s', async (_name, text, expected) => {
    const result = await run(['doctor', '--error', text, '--json']);
    expect(result.code).toBe(1);
    expect(causes(result.stdout)).toEqual(expected);
  });

  it('--error - reads the message from standard input', async () => {
    const result = await run(['doctor', '--error', '-', '--json'], { input: 'error=unauthorized_client\n' });
    expect(causes(result.stdout)).toEqual(['client-id']);
    const empty = await run(['doctor', '--error', '-'], { input: '  \n' });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/^inspera-lti: --error -: standard input is empty/);
    const both = await run(['doctor', '--error', '-', '--token', '-']);
    expect(both.code).toBe(2);
    expectNoStackTrace(both);
  });
});

describe('doctor --symptom: a ticket in its own words', () => {
  it('reads standard input, shows the causes that fit and what decides; never healthy; stdin once', async () => {
    const ticket = 'Hi! Since the Moodle update our students get a blank page when they open the exam.\n';
    const human = await run(['doctor', '--symptom', '-'], { input: ticket });
    expect(human.code).toBe(1);
    expect(human.stdout).toContain('The ticket says');
    expect(human.stdout).toMatch(
      /a blank page or a login loop \("blank page"\) — its causes, most likely first \(✖ what was given/,
    );
    expect(human.stdout).toMatch(/→ What would decide: a HAR of one failing launch/);
    expect(human.stdout).not.toMatch(/healthy/i);
    const json = JSON.parse((await run(['doctor', '--symptom', 'marks are not coming back', '--json'])).stdout);
    expect(json.ticket.symptoms.map((s: { id: string }) => s.id)).toEqual(['marks-not-returned']);
    const empty = await run(['doctor', '--symptom', '-'], { input: ' \n' });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/^inspera-lti: --symptom -: standard input is empty/);
    const twice = await run(['doctor', '--symptom', '-', '--error', '-'], { input: 'x' });
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/--error - and --symptom - all read standard input/);
  });
});

const token = unsignedToken;
const GOOD = goodClaims();

describe('doctor --token without a config or keyset checks everything that needs no key', () => {
  let bare: { path: string; cleanup: () => Promise<void> };
  beforeAll(async () => {
    bare = await tempDir();
  });
  afterAll(async () => {
    await bare.cleanup();
  });
  const doctorToken = async (text: string) => {
    await writeFile(join(bare.path, 't.jwt'), text);
    return run(['doctor', '--token', 't.jwt', '--json'], { cwd: bare.path });
  };

  it('a well-formed token: only the signature is "not checked"', async () => {
    const result = await doctorToken(token(GOOD));
    const doc = JSON.parse(result.stdout);
    expect(doc.problems.filter((p: { severity: string }) => p.severity === 'fail')).toEqual([]);
    expect(doc.passed.map((p: { id: string }) => p.id)).toEqual(
      expect.arrayContaining(['token.form.signature', 'token.form.times', 'token.form.iss', 'token.form.aud']),
    );
    expect(doc.unchecked.join(' ')).toMatch(/signature: no platform keyset/);
  });

  it('a four-part token is not a JWT, not "three parts"', async () => {
    const result = await doctorToken(`${token(GOOD)}.ZXh0cmE`);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/has 4 parts/);
  });

  // Each damaged claim and signature is tested on the engine (test/doctor/honest.test.ts); here, one through the CLI.
  it('a damaged claim fails without any key', async () => {
    const result = await doctorToken(token({ ...GOOD, exp: null }));
    expect(result.code).toBe(1);
    const doc = JSON.parse(result.stdout);
    expect(doc.problems[0].cause).toBe('token-damaged');
    expect(doc.problems[0].seen.map((s: { seen: string }) => s.seen).join(' ')).toMatch(/exp is null/);
  });
});

describe('doctor --live and validate name only what the evidence shows', () => {
  let platform: Served;
  let live: { path: string; cleanup: () => Promise<void> };
  let toolPort: number;
  beforeAll(async () => {
    live = await tempDir();
    toolPort = await freePort();
    platform = await startServe(['platform', ...registeredToolArgs(toolUrlsFor(`127.0.0.1:${toolPort}`, 'http'))], {
      cwd: live.path,
      env: { INSPERA_LTI_KEYS_DIR: KEYS },
    });
    await writeFile(
      join(live.path, 'inspera-lti.yaml'),
      [
        'allowInsecure: true',
        'tool:',
        `  domain: 127.0.0.1:${toolPort}`,
        '  scheme: http',
        'platform:',
        `  platformId: ${platform.info.listening}`,
        '  clientId: EhdzqulqmXxNDkw',
        '  deploymentId: "3"',
        '',
      ].join('\n'),
    );
  });
  afterAll(async () => {
    await stopServe(platform.child);
    await live.cleanup();
  });

  it("the tool down: the tool is unreachable, and no claim about Moodle's cURL blocked hosts", async () => {
    const result = await run(['doctor', '--live', '--json', '--timeout', '2000'], { cwd: live.path });
    expect(result.code).toBe(1);
    const doc = JSON.parse(result.stdout);
    expect(doc.problems[0].cause).toBe('unreachable');
    expect(result.stdout).not.toMatch(/blocked hosts/);
    expect(doc.problems[0].seen.map((s: { seen: string }) => s.seen).join(' ')).toMatch(
      /does not answer from here either/,
    );
  });

  it("fixes keep the config's scheme; a warning the config accepts is a warning, not a pass", async () => {
    const human = await run(['doctor', '--live', '--timeout', '2000'], { cwd: live.path });
    expect(human.stdout).not.toMatch(new RegExp(`https://127\\.0\\.0\\.1:${toolPort}`));
    expect(human.stdout).toMatch(/Warnings the config accepts\n {2}! Inspera URLs are https on the tenant/);
    expect(human.stdout).not.toMatch(/✔ Inspera URLs are https on the tenant/);
    const doc = JSON.parse((await run(['doctor', '--live', '--json', '--timeout', '2000'], { cwd: live.path })).stdout);
    expect(doc.accepted.map((c: { id: string }) => c.id)).toEqual(['live.tool.urls']);
    expect(doc.passed.map((c: { id: string }) => c.id)).not.toContain('live.tool.urls');
  });
});

describe('a machine that reaches nothing gets one cause, and no advice to change fields', () => {
  let off: { path: string; cleanup: () => Promise<void> };
  beforeAll(async () => {
    off = await tempDir();
    const [moodlePort, toolPort] = [await freePort(), await freePort()];
    await writeFile(
      join(off.path, 'inspera-lti.yaml'),
      [
        'allowInsecure: true',
        'tool:',
        `  domain: 127.0.0.1:${toolPort}`,
        '  scheme: http',
        'platform:',
        `  platformId: http://127.0.0.1:${moodlePort}`,
        '  clientId: EhdzqulqmXxNDkw',
        '  deploymentId: "3"',
        '',
      ].join('\n'),
    );
  });
  afterAll(async () => {
    await off.cleanup();
  });

  it('validate: one line saying this machine reaches neither side; no check says "fix in Moodle"', async () => {
    const result = await run(['validate', '--timeout', '1500'], { cwd: off.path });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/This machine reaches neither side/);
    expect(result.stdout).not.toMatch(/fix in (Moodle|Inspera|inspera-lti)/);
    expect(result.stdout.match(/fix in network/gi)).toHaveLength(1);
    const doc = JSON.parse((await run(['validate', '--timeout', '1500', '--json'], { cwd: off.path })).stdout);
    expect(doc.reachedNothing).toBe(true);
  });

  it('doctor --live: the only failing cause is that this machine reaches neither site', async () => {
    const doc = JSON.parse((await run(['doctor', '--live', '--json', '--timeout', '1500'], { cwd: off.path })).stdout);
    const failing = doc.problems
      .filter((p: { severity: string }) => p.severity === 'fail')
      .map((p: { cause: string }) => p.cause);
    expect(failing).toEqual(['unreachable']);
    expect(doc.problems[0].seen.map((s: { seen: string }) => s.seen).join(' ')).toMatch(
      /neither Moodle nor Inspera answered/,
    );
  });
});

describe('doctor through the one table of reporters', () => {
  it(
    '--reporter junit: each cause a test case, what was seen and the ' + 'fix in its failure; markdown and html too',
    async () => {
      const junit = await run(['doctor', '--error', 'unauthorized_client', '--reporter', 'junit']);
      expect(junit.code).toBe(1);
      expect(junit.stdout).toMatch(/^<\?xml/);
      expect(junit.stdout).toMatch(/<testsuite name="doctor" tests="\d+" failures="1"/);
      expect(junit.stdout).toMatch(
        pattern(
          /<testcase classname="doctor" name="cause\.client-id: Client ID differs between Moodle and /,
          /Inspera">\s*<failure message="&quot;unauthorized_client&quot;[^"]*">[\s\S]*Fix in Inspera/,
        ),
      );
      const markdown = await run([
        'doctor',
        '--error',
        'unauthorized_client',
        '--reporter',
        'markdown',
        '--output',
        'ticket.md',
      ]);
      expect(markdown.stderr).toMatch(/report written to ticket\.md/);
      const { readFile } = await import('node:fs/promises');
      expect(await readFile(join(dir.path, 'ticket.md'), 'utf8')).toMatch(/^# LTI 1\.3 diagnosis/);
      const html = await run(['doctor', '--error', 'unauthorized_client', '--reporter', 'html']);
      expect(html.stdout).toMatch(/^<!DOCTYPE html>/i);
      const both = await run(['doctor', '--error', 'x', '--json', '--reporter', 'junit']);
      expect(both.code).toBe(2);
      expect(both.stderr).toMatch(/--json and --reporter junit ask for two formats/);
    },
  );
});
