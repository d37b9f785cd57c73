import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { expectNoStackTrace, runCli, tempDir } from '../helpers/cli.js';
import { startServe, stopServe, type Served } from '../helpers/serve.js';

/**
 * Reading the Inspera tool as Moodle stores it (issue 19) against `serve platform`, which answers the login, the
 * Manage tools call and the edit form as Moodle 4.5 does: record --from-moodle and doctor --moodle as an admin runs
 * them.
 */
const KEYS = fileURLToPath(new URL('../../fixtures/keys/', import.meta.url));
let dir: { path: string; cleanup: () => Promise<void> };
let platform: Served;
let broken: Served;
const env = { INSPERA_LTI_KEYS_DIR: KEYS, MOODLE_PASSWORD: 'any' };
const run = (args: string[]) => runCli(args, { cwd: dir.path, env });

beforeAll(async () => {
  dir = await tempDir();
  expect((await run(['init', '--domain', 'university.inspera.com', '--yes'])).code).toBe(0);
  platform = await startServe(['platform'], { cwd: dir.path, env });
  // The same tool with one byte more in its Redirection URI: a trailing slash.
  broken = await startServe(['platform', '--tool-redirect-url', 'https://university.inspera.com/ltiprovider/launch/'], {
    cwd: dir.path,
    env,
  });
});
afterAll(async () => {
  for (const served of [platform, broken]) if (served) await stopServe(served.child);
  await dir.cleanup();
});

describe('record --from-moodle', () => {
  it('records the six values as the dialog shows them; --dry-run only shows them', async () => {
    const url = platform.info.listening as string;
    const dry = await run(['record', '--from-moodle', '--moodle-url', url, '--allow-insecure', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`Platform ID:                ${url}`);
    expect(parse(await readFile(join(dir.path, 'inspera-lti.yaml'), 'utf8')).platform ?? {}).toEqual({});
    const saved = await run(['record', '--from-moodle', '--moodle-url', url, '--allow-insecure']);
    expect(saved.code, saved.stderr).toBe(0);
    expect(parse(await readFile(join(dir.path, 'inspera-lti.yaml'), 'utf8')).platform).toEqual({
      platformId: url,
      clientId: 'EhdzqulqmXxNDkw',
      deploymentId: '3',
      publicKeysetUrl: `${url}/mod/lti/certs.php`,
      accessTokenUrl: `${url}/mod/lti/token.php`,
      authRequestUrl: `${url}/mod/lti/auth.php`,
    });
  });
});

describe('doctor --moodle', () => {
  it('healthy when every stored field matches what init prescribes', async () => {
    const result = await run(['doctor', '--moodle', '--allow-insecure', '--moodle-url', platform.info.listening]);
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain('✔ Redirection URI(s): 1 line');
    expect(result.stdout).toContain('✔ Tool state: active');
    expect(result.stdout).toContain('✔ Client ID: "EhdzqulqmXxNDkw", as recorded');
  });

  it('names the Redirection URI Moodle holds with a trailing slash: screen, field and value', async () => {
    const result = await run([
      'doctor',
      '--moodle',
      '--allow-insecure',
      '--moodle-url',
      broken.info.listening,
      '--json',
    ]);
    expect(result.code).toBe(1);
    const doc = JSON.parse(result.stdout);
    expect(doc.problems[0]).toMatchObject({
      cause: 'redirect-uri',
      fix: {
        system: 'Moodle',
        field: 'Redirection URI(s)',
        value: 'https://university.inspera.com/ltiprovider/launch',
      },
    });
    expect(doc.problems[0].seen[0].seen).toMatch(
      /without "https:\/\/university\.inspera\.com\/ltiprovider\/launch" byte for byte/,
    );
  });

  it('a refused login is one clear line, exit 1; an account without the capability too', async () => {
    const nobody = await run([
      'doctor',
      '--moodle',
      '--allow-insecure',
      '--moodle-url',
      platform.info.listening,
      '--moodle-user',
      'nobody',
    ]);
    expectNoStackTrace(nobody);
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toMatch(
      // serve platform plays Moodle 5.2.1 by default: its login page's words (checked against the real 5.2.1+).
      /refused the login for nobody: "Unable to log in: Your login info may be incorrect\. Please try again\." — a/,
    );
    const learner = await run([
      'doctor',
      '--moodle',
      '--allow-insecure',
      '--moodle-url',
      platform.info.listening,
      '--moodle-user',
      'ada',
    ]);
    expect(learner.code).toBe(1);
    expect(learner.stderr).toMatch(
      /mod_lti_get_tool_types_and_proxies: Moodle said "Sorry, but you do not currently have permissions/,
    );
  });

  it('the password is never a flag value, and the Moodle flags without --moodle are refused (exit 2)', async () => {
    const noPassword = await runCli(
      ['doctor', '--moodle', '--allow-insecure', '--moodle-url', platform.info.listening],
      {
        cwd: dir.path,
        env: { INSPERA_LTI_KEYS_DIR: KEYS },
      },
    );
    expect(noPassword.code).toBe(2);
    expect(noPassword.stderr).toMatch(/no password for the Moodle account admin/);
    const stray = await run(['doctor', '--tool-id', '3']);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toMatch(/--tool-id is for reading the tool in Moodle/);
  });
});

describe('init --apply', () => {
  it('shows the change, asks (no --yes and no terminal: refused), repairs, then has nothing to change', async () => {
    const url = broken.info.listening as string;
    const apply = (extra: string[]) =>
      run([
        'init',
        '--domain',
        'university.inspera.com',
        '--moodle-url',
        url,
        '--allow-insecure',
        '--apply',
        '--force',
        ...extra,
      ]);
    const dry = await apply(['--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(
      'Redirection URI(s): "https://university.inspera.com/ltiprovider/launch/" → ' +
        '"https://university.inspera.com/ltiprovider/launch"',
    );
    expect(dry.stderr).toContain('--dry-run: nothing was changed in Moodle');
    const unasked = await apply([]);
    expect(unasked.code).toBe(2);
    expect(unasked.stderr).toMatch(/asks first; there is no terminal to ask at — add --yes/);
    const applied = await apply(['--yes']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain('Moodle saved the 2 changed fields.');
    const again = await apply(['--yes']);
    expect(again.stdout).toContain('already holds every value init prescribes: nothing to change');
    const doctor = await run(['doctor', '--moodle', '--allow-insecure', '--moodle-url', url]);
    expect(doctor.code, doctor.stdout).toBe(0);
    // For CI: one JSON document, what was applied and what was recorded.
    const json = await apply(['--yes', '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: true,
      apply: { action: 'unchanged', toolId: 3, changes: [] },
      record: { ok: true, platform: { clientId: 'EhdzqulqmXxNDkw', deploymentId: '3', platformId: url } },
    });
  });
});

describe('doctor --moodle: a fix for each field', () => {
  it('with the Tool URL and the Initiate login URL both wrong, one fix each, with its label and value', async () => {
    const wrong = await startServe(
      [
        'platform',
        '--tool-url',
        'https://university.inspera.com/ltiprovider/launch-old',
        '--tool-login-url',
        'https://university.inspera.com/ltiprovider/init-old',
      ],
      { cwd: dir.path, env },
    );
    try {
      const json = JSON.parse(
        (await run(['doctor', '--moodle', '--allow-insecure', '--moodle-url', wrong.info.listening, '--json'])).stdout,
      );
      const fixes = json.problems.flatMap((p: { fixes: Array<{ field?: string; value?: string }> }) => p.fixes);
      expect(fixes).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ field: 'Tool URL', value: 'https://university.inspera.com/ltiprovider/launch' }),
          expect.objectContaining({
            field: 'Initiate login URL',
            value: 'https://university.inspera.com/ltiprovider/init',
          }),
        ]),
      );
      const human = await run(['doctor', '--moodle', '--allow-insecure', '--moodle-url', wrong.info.listening]);
      expect(human.stdout).toMatch(
        /fix in Moodle › .* › "Tool URL" = https:\/\/university\.inspera\.com\/ltiprovider\/launch:/,
      );
      expect(human.stdout).toMatch(
        /fix in Moodle › .* › "Initiate login URL" = https:\/\/university\.inspera\.com\/ltiprovider\/init:/,
      );
    } finally {
      await stopServe(wrong.child);
    }
  });
});

describe('init --apply --dry-run', () => {
  it('writes nothing, ever: with nothing to change in Moodle, the config is not written either', async () => {
    // A folder of its own (a config in a parent folder would be found and used).
    const own = await tempDir();
    const path = join(own.path, 'inspera-lti.yaml');
    const inDry = (args: string[]) => runCli(args, { cwd: own.path, env });
    expect((await inDry(['init', '--domain', 'university.inspera.com', '--yes'])).code).toBe(0);
    const before = await readFile(path, 'utf8');
    const url = platform.info.listening as string;
    const dryApply = (...extra: string[]) =>
      inDry([
        'init',
        '--domain',
        'university.inspera.com',
        '--moodle-url',
        url,
        '--allow-insecure',
        '--apply',
        '--force',
        '--dry-run',
        ...extra,
      ]);
    const dry = await dryApply();
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('nothing to change');
    expect(dry.stdout + dry.stderr).not.toMatch(/saved to/);
    expect(await readFile(path, 'utf8')).toBe(before);
    // The difference in Moodle's words, as its form shows them — never the codes it posts ("4" → "2").
    const embed = await dryApply('--launch-container', 'embed');
    expect(embed.stdout).toContain('Default launch container: "New window" → "Embed"');
    expect(await readFile(path, 'utf8')).toBe(before);
    await own.cleanup();
  });
});

describe('the password file', () => {
  it('is read, and a warning says when other accounts can read it', async () => {
    const { chmod, writeFile } = await import('node:fs/promises');
    const file = join(dir.path, 'admin.password');
    await writeFile(file, 'any\n', { mode: 0o644 });
    await chmod(file, 0o644);
    const open = await runCli(
      ['doctor', '--moodle', '--allow-insecure', '--moodle-url', platform.info.listening, '--password-file', file],
      { cwd: dir.path, env: { INSPERA_LTI_KEYS_DIR: KEYS } },
    );
    expect(open.stderr).toMatch(
      /--password-file .* can be read by other accounts on this machine \(mode 644\): chmod 600/,
    );
    expect(open.stderr).not.toContain('any\n');
    await chmod(file, 0o600);
    const closed = await runCli(
      ['doctor', '--moodle', '--allow-insecure', '--moodle-url', platform.info.listening, '--password-file', file],
      { cwd: dir.path, env: { INSPERA_LTI_KEYS_DIR: KEYS } },
    );
    expect(closed.stderr).not.toMatch(/can be read by other accounts/);
  });
});

describe('doctor --moodle --cmid', () => {
  it("adds the activity's own settings: the tool it launches through, its container, parameters", async () => {
    const result = await run([
      'doctor',
      '--moodle',
      '--allow-insecure',
      '--moodle-url',
      platform.info.listening,
      '--cmid',
      '12',
      '--json',
    ]);
    const doc = JSON.parse(result.stdout);
    expect(doc.passed.map((p: { id: string }) => p.id)).toEqual(
      expect.arrayContaining(['moodle.activity-tool', 'moodle.activity-container', 'moodle.activity-custom']),
    );
    const missing = await run([
      'doctor',
      '--moodle',
      '--allow-insecure',
      '--moodle-url',
      platform.info.listening,
      '--cmid',
      '99',
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/--cmid 99: .* shows no External tool activity settings/);
    const stray = await run(['doctor', '--cmid', '12']);
    expect(stray.code).toBe(2);
    // A learner cannot read the tools; the launch Moodle makes needs its mobile web service, which this one lacks.
    const learner = await run([
      'doctor',
      '--moodle',
      '--allow-insecure',
      '--moodle-url',
      platform.info.listening,
      '--moodle-user',
      'ada',
      '--cmid',
      '12',
    ]);
    expect(learner.code).toBe(1);
    expect(learner.stderr).toMatch(/without JSON: this site does not offer Moodle's web services/);
  });
});

describe('a site that gives no form to add a tool (serve platform holds one tool)', () => {
  it('init --apply says what was missing, --dry-run still shows, doctor --moodle sends nobody there', async () => {
    const other = await tempDir();
    const url = platform.info.listening as string;
    const here = (args: string[]) => runCli(args, { cwd: other.path, env });
    try {
      const apply = ['init', '--domain', 'other.inspera.com', '--moodle-url', url, '--allow-insecure', '--apply'];
      const dry = await here([...apply, '--dry-run']);
      expect(dry.code, dry.stderr).toBe(0);
      expect(dry.stdout).toContain('has no tool for other.inspera.com: init --apply creates "Inspera"');
      const refused = await here([...apply, '--yes']);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(
        /typessettings\.php\?action=add \(HTTP 404\) shows no form to add a tool; the page says "The embedded platform/,
      );
      expect(refused.stderr).not.toMatch(/administrator account|sesskey=/);
      expectNoStackTrace(refused);
      const doctor = JSON.parse(
        (await here(['doctor', '--moodle', '--allow-insecure', '--moodle-url', url, '--json'])).stdout,
      );
      const fix = doctor.problems[0].fixes[0];
      expect(fix.field).toBe('configure a tool manually');
      expect(fix.action).toMatch(/shows no form to add a tool .*neither a person nor init --apply can add one there/);
      expect(JSON.stringify(doctor)).not.toContain('sesskey=');
    } finally {
      await other.cleanup();
    }
  });
});

describe('an http Moodle address is a test site, said so with --allow-insecure', () => {
  // A config of its own: the one above records an http test Moodle, which allows it.
  let fresh: { path: string; cleanup: () => Promise<void> };
  const inFresh = (args: string[]) => runCli(args, { cwd: fresh.path, env });
  beforeAll(async () => {
    fresh = await tempDir();
    expect((await inFresh(['init', '--domain', 'university.inspera.com', '--yes'])).code).toBe(0);
  });
  afterAll(() => fresh.cleanup());

  it('doctor --moodle refuses an http --moodle-url without it (the password would cross plain http)', async () => {
    const refused = await inFresh(['doctor', '--moodle', '--moodle-url', platform.info.listening as string]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--moodle-url "http:\/\/127\.0\.0\.1:\d+": uses http:\/\/ .*--allow-insecure/);
  });

  it('validate --allow-insecure: an http test Moodle is a warning the run accepts, not a failure', async () => {
    const url = platform.info.listening as string;
    const strict = await inFresh(['validate', '--only', 'platform', '--platform-id', url, '--json']);
    const failed = JSON.parse(strict.stdout).results.filter((r: { status: string }) => r.status === 'fail');
    expect(failed.map((r: { id: string }) => r.id)).toContain('config.platform');
    const relaxed = await inFresh([
      'validate',
      '--only',
      'platform',
      '--platform-id',
      url,
      '--allow-insecure',
      '--json',
    ]);
    const still = JSON.parse(relaxed.stdout).results.filter((r: { status: string }) => r.status === 'fail');
    expect(still.map((r: { id: string }) => r.id)).not.toContain('config.platform');
  });
});

describe('init --apply --verbose', () => {
  it('logs every request to Moodle on stderr, with no sesskey, logintoken, cookie or password value', async () => {
    const url = platform.info.listening as string;
    const result = await run([
      'init',
      '--domain',
      'university.inspera.com',
      '--moodle-url',
      url,
      '--allow-insecure',
      '--apply',
      '--dry-run',
      '--force',
      '--verbose',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/→ GET http:\/\/127\.0\.0\.1:\d+\/login\/index\.php/);
    expect(result.stderr).toMatch(/→ GET .*typessettings\.php\?action=update/);
    expect(result.stderr).not.toMatch(/sesskey=(?!\[)|"sesskey":"(?!\[)|name="logintoken" value="(?!\[)/);
    expect(result.stderr).not.toMatch(/MoodleSession=(?!\[)|password=(?!\[|\(hidden\))/);
  });
});

describe("values an administrator added beside init's: doctor and init --apply agree", () => {
  it('a second Redirection URI and exam_code=ABC: healthy to doctor, kept by init --apply, which says so', async () => {
    const site = await tempDir();
    const mine = await tempDir();
    const at = (cwd: string) => (args: string[]) => runCli(args, { cwd, env });
    const tenant = ['init', '--domain', 'university.inspera.com', '--yes'];
    const custom = ['enroll_candidates', 'skip_incomplete_members', 'use_template_on_create'].flatMap((name) => [
      '--custom',
      `${name}=true`,
    ]);
    expect((await at(site.path)([...tenant, ...custom, '--custom', 'exam_code=ABC'])).code).toBe(0);
    const added = await startServe(
      [
        'platform',
        '--tool-redirect-url',
        'https://university.inspera.com/ltiprovider/launch',
        '--tool-redirect-url',
        'https://proctoring.example.edu/lti/return',
      ],
      { cwd: site.path, env },
    );
    try {
      expect((await at(mine.path)(tenant)).code).toBe(0);
      const url = added.info.listening as string;
      const doctor = JSON.parse(
        (await at(mine.path)(['doctor', '--moodle', '--allow-insecure', '--moodle-url', url, '--json'])).stdout,
      );
      const passed = doctor.passed.map((p: { id: string }) => p.id);
      expect(passed).toEqual(expect.arrayContaining(['moodle.redirect-uris', 'moodle.custom-parameters']));
      const apply = await at(mine.path)([
        'init',
        '--domain',
        'university.inspera.com',
        '--moodle-url',
        url,
        '--allow-insecure',
        '--apply',
        '--yes',
        '--force',
      ]);
      expect(apply.code, apply.stderr).toBe(0);
      expect(apply.stdout).toContain(
        "Kept as Moodle holds them (added beside init's values; init changes none of them): Redirection URI(s) " +
          '"https://proctoring.example.edu/lti/return"; Custom parameters "exam_code=ABC"',
      );
      expect(apply.stdout).toContain('nothing to change');
    } finally {
      await stopServe(added.child);
      await site.cleanup();
      await mine.cleanup();
    }
  });
});

describe('a course tool (Moodle 4.3+)', () => {
  it('is named as such, fixed where teachers manage it, and init --apply converges on its form', async () => {
    const course = await startServe(
      ['platform', '--course-tool', '--tool-redirect-url', 'https://university.inspera.com/ltiprovider/launch/'],
      { cwd: dir.path, env },
    );
    const other = await tempDir();
    const here = (args: string[]) => runCli(args, { cwd: other.path, env });
    try {
      const url = course.info.listening as string;
      expect((await here(['init', '--domain', 'university.inspera.com', '--yes'])).code).toBe(0);
      const doctor = JSON.parse(
        (await here(['doctor', '--moodle', '--allow-insecure', '--moodle-url', url, '--json'])).stdout,
      );
      expect(doctor.problems[0].fixes[0].where).toBe(
        'Moodle: Course ABC101 (course 7) > More > LTI External tools > (the Inspera tool) > Edit > Tool settings',
      );
      const apply = ['init', '--domain', 'university.inspera.com', '--moodle-url', url, '--allow-insecure', '--apply'];
      const first = await here([...apply, '--yes', '--force']);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toContain(
        'tool 3 "Inspera Assessment" (course tool of ABC101, course 7; teachers manage it under the course\'s LTI ' +
          'External tools), changes in 2 fields',
      );
      // The course form has no "Tool configuration usage": never a difference, so a second run changes nothing.
      expect(first.stdout).not.toContain('Tool configuration usage');
      const second = await here([...apply, '--yes', '--force']);
      expect(second.stdout).toContain('nothing to change');
    } finally {
      await stopServe(course.child);
      await other.cleanup();
    }
  });
});

describe('privacy delegated to the teacher', () => {
  it("is said to depend on each activity; with --cmid, the activity's own tick is read", async () => {
    const site = await tempDir();
    const mine = await tempDir();
    const at = (cwd: string) => (args: string[]) => runCli(args, { cwd, env });
    const tenant = ['init', '--domain', 'university.inspera.com', '--yes'];
    expect((await at(site.path)(tenant)).code).toBe(0);
    const { readFile: read, writeFile } = await import('node:fs/promises');
    const file = join(site.path, 'inspera-lti.yaml');
    await writeFile(file, (await read(file, 'utf8')).replace('shareEmail: always', 'shareEmail: delegate'));
    const delegating = await startServe(['platform'], { cwd: site.path, env });
    try {
      expect((await at(mine.path)(tenant)).code).toBe(0);
      const url = delegating.info.listening as string;
      const read = async (extra: string[]) =>
        JSON.parse(
          (await at(mine.path)(['doctor', '--moodle', '--allow-insecure', '--moodle-url', url, '--json', ...extra]))
            .stdout,
        );
      const tool = await read([]);
      const seen = JSON.stringify(tool.problems);
      expect(seen).toContain("depends on each activity's own setting");
      expect(seen).not.toContain('Inspera gets no e-mail addresses');
      // As Moodle 4.3+ (the release it plays), the activity's form shows no such choice: not read as unticked.
      const activity = await read(['--cmid', '12']);
      expect(JSON.stringify(activity.problems)).not.toContain('this activity sends Inspera no e-mail addresses');
      expect(activity.unchecked.join(' ')).toContain('activity 12: what this activity sends');
    } finally {
      await stopServe(delegating.child);
      await site.cleanup();
      await mine.cleanup();
    }
  });
});
