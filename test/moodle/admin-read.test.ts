import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ADMIN_PASSWORD } from './harness/moodle.js';
import { moodle, site, toolAt } from './harness/site.js';
import { asToolFlags, cli, passwordFile, useWorkDir } from './helpers.js';

/** Reading the tool as the real Moodle stores it (issue 19): an administrator's login, GETs only. */
const workPath = useWorkDir({ restoreTool: true });
const asAdmin = { MOODLE_PASSWORD: ADMIN_PASSWORD };

async function setUp(): Promise<void> {
  const info = moodle();
  const init = await cli(
    [
      'init',
      '--domain',
      `http://127.0.0.1:${info.toolPort}`,
      '--moodle-url',
      info.wwwroot,
      '--allow-insecure',
      '--yes',
      '--force',
    ],
    workPath(),
  );
  expect(init.code, init.stderr).toBe(0);
}

describe('reading the Inspera tool from the real Moodle', () => {
  it('record --from-moodle records exactly the six values the dialog shows', async () => {
    await setUp();
    const info = moodle();
    const result = await cli(['record', '--from-moodle', '--allow-insecure'], workPath(), asAdmin);
    expect(result.code, result.stderr).toBe(0);
    const saved = parse(await readFile(join(workPath(), 'inspera-lti.yaml'), 'utf8')).platform;
    expect(saved).toEqual({
      platformId: info.details.platformid,
      clientId: info.details.clientid,
      deploymentId: String(info.details.deploymentid),
      publicKeysetUrl: info.details.publickeyseturl,
      accessTokenUrl: info.details.accesstokenurl,
      authRequestUrl: info.details.authrequesturl,
    });
  });

  it('doctor --moodle: healthy on the tool as set up, then names a broken Redirection URI and NRPS off', async () => {
    await setUp();
    const info = moodle();
    expect((await cli(['record', '--from-moodle', '--allow-insecure'], workPath(), asAdmin)).code).toBe(0);
    const healthy = await cli(['doctor', '--moodle', '--json'], workPath(), asAdmin);
    const doc = JSON.parse(healthy.stdout);
    expect(
      doc.problems.filter((p: { severity: string }) => p.severity === 'fail'),
      healthy.stdout,
    ).toEqual([]);
    expect(healthy.code).toBe(0);

    await site('update-type', {
      typeid: info.details.typeid,
      tool: toolAt(`http://127.0.0.1:${info.toolPort}`, {
        redirectUrls: [`http://127.0.0.1:${info.toolPort}/ltiprovider/launch/`],
      }),
    });
    const broken = JSON.parse((await cli(['doctor', '--moodle', '--json'], workPath(), asAdmin)).stdout);
    expect(broken.problems.map((p: { cause: string }) => p.cause)).toContain('redirect-uri');

    await site('update-type', {
      typeid: info.details.typeid,
      tool: toolAt(`http://127.0.0.1:${info.toolPort}`, { nrps: 0 }),
    });
    const nrps = JSON.parse((await cli(['doctor', '--moodle', '--json'], workPath(), asAdmin)).stdout);
    expect(nrps.problems.map((p: { cause: string }) => p.cause)).toContain('nrps-off');
  });

  it.each([
    ['email sharing Never', { shareEmail: 'never' }, 'privacy', "Share launcher's email with tool"],
    ['no enroll_candidates', { customParameters: 'skip_incomplete_members=true' }, 'tool-setting', 'Custom parameters'],
    ['an embedded launch container', { launchContainer: 'embed' }, 'state-cookie', 'launch container'],
    ['Public key type "RSA key"', { keyType: 'rsa' }, 'tool-setting', '"Public key type","value":"Keyset URL"'],
  ])('doctor --moodle names %s, with the field', async (_what, change, cause, field) => {
    await setUp();
    const info = moodle();
    expect((await cli(['record', '--from-moodle', '--allow-insecure'], workPath(), asAdmin)).code).toBe(0);
    await site('update-type', {
      typeid: info.details.typeid,
      tool: toolAt(`http://127.0.0.1:${info.toolPort}`, change),
    });
    const doc = JSON.parse((await cli(['doctor', '--moodle', '--json'], workPath(), asAdmin)).stdout);
    const problem = doc.problems.find((p: { cause: string }) => p.cause === cause);
    expect(problem, JSON.stringify(doc.problems)).toBeDefined();
    expect(JSON.stringify(problem)).toContain(field);
  });

  it('doctor --moodle names a second tool on the same domain', async () => {
    await setUp();
    const info = moodle();
    expect((await cli(['record', '--from-moodle', '--allow-insecure'], workPath(), asAdmin)).code).toBe(0);
    const second = await site<{ typeid: number }>('add-type', { tool: toolAt(`http://127.0.0.1:${info.toolPort}`) });
    try {
      const doc = JSON.parse((await cli(['doctor', '--moodle', '--json'], workPath(), asAdmin)).stdout);
      const seen = doc.problems.flatMap((p: { seen: Array<{ seen: string }> }) => p.seen.map((s) => s.seen)).join(' ');
      const ids = new RegExp(`2 tools point at 127\\.0\\.0\\.1:${info.toolPort} \\(ids (\\d+), (\\d+)\\)`).exec(seen);
      expect(ids, seen).not.toBeNull();
      expect([Number(ids![1]), Number(ids![2])].sort()).toEqual([info.details.typeid, second.typeid].sort());
      // The duplicate is the cause; the working tool's ids are never to be replaced by the duplicate's.
      expect(seen).toMatch(new RegExp(`tool ${info.details.typeid} .* holds the recorded Client ID`));
      const causes = doc.problems.map((p: { cause: string }) => p.cause);
      expect(causes).not.toContain('client-id');
      expect(causes).not.toContain('deployment-id');
    } finally {
      await site('delete-type', { typeid: second.typeid });
    }
  });

  it('a wrong administrator password is one clear line, exit 1', async () => {
    await setUp();
    const result = await cli(['doctor', '--moodle'], workPath(), { MOODLE_PASSWORD: 'wrong' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Moodle refused the login for admin/);
  });
});

describe('init --apply against the real Moodle', () => {
  it('repairs a broken Redirection URI after showing it; a second run changes nothing; launches work', async () => {
    const info = moodle();
    const origin = `http://127.0.0.1:${info.toolPort}`;
    await site('update-type', {
      typeid: info.details.typeid,
      tool: toolAt(origin, { redirectUrls: [`${origin}/ltiprovider/launch/`] }),
    });
    const apply = (extra: string[] = []) =>
      cli(
        [
          'init',
          '--domain',
          origin,
          '--moodle-url',
          info.wwwroot,
          '--allow-insecure',
          '--apply',
          '--yes',
          '--force',
          ...extra,
        ],
        workPath(),
        asAdmin,
      );
    const first = await apply();
    expect(first.code, first.stderr + first.stdout).toBe(0);
    expect(first.stdout).toContain(
      `Redirection URI(s): "${origin}/ltiprovider/launch/" → "${origin}/ltiprovider/launch"`,
    );
    expect(first.stdout).toContain('Moodle saved the');
    const second = await apply();
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('already holds every value init prescribes: nothing to change');
    const doctor = await cli(['doctor', '--moodle', '--json'], workPath(), asAdmin);
    expect(JSON.parse(doctor.stdout).problems.filter((p: { severity: string }) => p.severity === 'fail')).toEqual([]);
    const launch = await cli(
      [
        'simulate',
        'launch',
        '--json',
        ...asToolFlags(),
        '--username',
        'ada',
        '--password-file',
        await passwordFile(workPath(), info.users.ada),
      ],
      workPath(),
    );
    expect(JSON.parse(launch.stdout).launch.ok, launch.stdout).toBe(true);
  });

  it("keeps what an administrator added beside init's values, as doctor --moodle accepts it", async () => {
    const info = moodle();
    const origin = `http://127.0.0.1:${info.toolPort}`;
    await site('update-type', {
      typeid: info.details.typeid,
      tool: toolAt(origin, {
        redirectUrls: [`${origin}/ltiprovider/launch`, 'https://proctoring.example.edu/lti/return'],
        customParameters:
          'enroll_candidates=true\nskip_incomplete_members=true\nuse_template_on_create=true\nexam_code=ABC',
      }),
    });
    try {
      const doctor = JSON.parse((await cli(['doctor', '--moodle', '--json'], workPath(), asAdmin)).stdout);
      expect(doctor.passed.map((p: { id: string }) => p.id)).toEqual(
        expect.arrayContaining(['moodle.redirect-uris', 'moodle.custom-parameters']),
      );
      const dry = await cli(
        ['init', '--domain', origin, '--moodle-url', info.wwwroot, '--allow-insecure', '--apply', '--dry-run'],
        workPath(),
        asAdmin,
      );
      expect(dry.code, dry.stderr).toBe(0);
      expect(dry.stdout).toContain(
        'Redirection URI(s) "https://proctoring.example.edu/lti/return"; Custom parameters "exam_code=ABC"',
      );
      expect(dry.stdout).toContain('nothing to change');
    } finally {
      await site('update-type', { typeid: info.details.typeid, tool: toolAt(origin) });
    }
  });

  it('a course tool: named as such; init --apply converges on its form, posting no stray field', async () => {
    const info = moodle();
    const { freePort } = await import('../../src/util/free-port.js');
    const origin = `http://127.0.0.1:${await freePort()}`;
    const { typeid } = await site<{ typeid: number }>('add-course-tool', {
      courseid: info.courseid,
      tool: toolAt(origin, { redirectUrls: [`${origin}/ltiprovider/launch/`] }),
    });
    const { mkdtemp, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const own = await mkdtemp(join(tmpdir(), 'course-tool-'));
    try {
      const apply = () =>
        cli(
          ['init', '--domain', origin, '--moodle-url', info.wwwroot, '--allow-insecure', '--apply', '--yes', '--force'],
          own,
          asAdmin,
        );
      const first = await apply();
      expect(first.code, first.stderr + first.stdout).toBe(0);
      expect(first.stdout).toContain(`(course tool of ABC101, course ${info.courseid}; teachers manage it under`);
      expect(first.stdout).toContain(
        `Redirection URI(s): "${origin}/ltiprovider/launch/" → "${origin}/ltiprovider/launch"`,
      );
      expect(first.stdout).not.toContain('Tool configuration usage');
      const second = await apply();
      expect(second.stdout, second.stderr).toContain('nothing to change');
      const { names } = await site<{ names: string[] }>('type-config-names', { typeid });
      expect(names).not.toContain('clientid_disabled');
    } finally {
      await site('delete-type', { typeid });
      await rm(own, { recursive: true, force: true });
    }
  });

  it('creates the tool in a site that has none for the tenant, records it, and a launch goes through it', async () => {
    const info = moodle();
    const { freePort } = await import('../../src/util/free-port.js');
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    // Before: a dry run shows the tool it would add (the site's blank form is not needed to show it), and doctor's
    // fix for the missing tool offers init --apply only because this site gives the form to add one.
    const dry = await cli(
      ['init', '--domain', origin, '--moodle-url', info.wwwroot, '--allow-insecure', '--apply', '--dry-run'],
      workPath(),
      asAdmin,
    );
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`has no tool for 127.0.0.1:${port}: init --apply creates`);
    const plain = ['init', '--domain', origin, '--moodle-url', info.wwwroot, '--allow-insecure', '--yes', '--force'];
    expect((await cli(plain, workPath())).code).toBe(0);
    const missing = await cli(['doctor', '--moodle', '--json'], workPath(), asAdmin);
    expect(JSON.parse(missing.stdout).problems, missing.stdout + missing.stderr).toBeDefined();
    const fix = JSON.parse(missing.stdout).problems[0].fixes[0];
    expect(fix).toMatchObject({ system: 'Moodle', field: 'configure a tool manually' });
    expect(fix.action).toContain('run inspera-lti init --apply');
    const result = await cli(
      ['init', '--domain', origin, '--moodle-url', info.wwwroot, '--allow-insecure', '--apply', '--yes', '--force'],
      workPath(),
      asAdmin,
    );
    expect(result.code, result.stderr + result.stdout).toBe(0);
    expect(result.stdout).toContain('Moodle saved the new Inspera tool.');
    const saved = parse(await readFile(join(workPath(), 'inspera-lti.yaml'), 'utf8')).platform;
    expect(saved.clientId).toMatch(/^[A-Za-z0-9]{15}$/);
    expect(saved.clientId).not.toBe(info.details.clientid);
    expect(saved.platformId).toBe(info.wwwroot);
    // An activity of the new tool, launched by a learner into the embedded tool at the tenant's address.
    const { cmid } = await site<{ cmid: number }>('add-activity', {
      courseid: info.courseid,
      typeid: Number(saved.deploymentId),
      name: 'Exam through the new tool',
    });
    const launch = await cli(
      [
        'simulate',
        'launch',
        '--json',
        '--platform-url',
        info.wwwroot,
        '--cmid',
        String(cmid),
        '--username',
        'ada',
        '--password-file',
        await passwordFile(workPath(), info.users.ada),
      ],
      workPath(),
    );
    expect(JSON.parse(launch.stdout).launch.ok, launch.stdout.slice(0, 2000)).toBe(true);
  });
});

describe('doctor --moodle --cmid against the real Moodle', () => {
  it('names "Accept grades" left unchecked in an activity when the tool delegates it to the teacher', async () => {
    await setUp();
    const info = moodle();
    expect((await cli(['record', '--from-moodle', '--allow-insecure'], workPath(), asAdmin)).code).toBe(0);
    const healthy = JSON.parse(
      (await cli(['doctor', '--moodle', '--cmid', String(info.cmid), '--json'], workPath(), asAdmin)).stdout,
    );
    expect(healthy.passed.map((p: { id: string }) => p.id)).toContain('moodle.activity-tool');
    await site('update-type', {
      typeid: info.details.typeid,
      tool: toolAt(`http://127.0.0.1:${info.toolPort}`, { acceptGrades: 'delegate' }),
    });
    await site('set-activity-accept-grades', { cmid: info.cmid, value: 0 });
    const delegated = await (async () => {
      try {
        return JSON.parse(
          (await cli(['doctor', '--moodle', '--cmid', String(info.cmid), '--json'], workPath(), asAdmin)).stdout,
        );
      } finally {
        await site('set-activity-accept-grades', { cmid: info.cmid, value: 1 });
      }
    })();
    const grades = delegated.problems.find((p: { cause: string }) => p.cause === 'accept-grades');
    expect(grades.seen.map((s: { seen: string }) => s.seen).join('\n')).toMatch(
      /Moodle activity \d+ "Activity: Accept grades from the tool": the tool delegates it to the teacher/,
    );
  });

  it('e-mail sharing delegated to the teacher depends on each activity; not read where its form hides it', async () => {
    await setUp();
    const info = moodle();
    const origin = `http://127.0.0.1:${info.toolPort}`;
    // Since 4.3 the form offers Delegate for name and e-mail no more; a tool set up before keeps it (seen on 4.2).
    await site('set-type-config', { typeid: info.details.typeid, name: 'sendemailaddr', value: '2' });
    try {
      const tool = JSON.parse((await cli(['doctor', '--moodle', '--json'], workPath(), asAdmin)).stdout);
      const said = JSON.stringify(tool.problems);
      expect(said, JSON.stringify(tool).slice(0, 4000)).toContain("depends on each activity's own setting");
      expect(said).not.toContain('Inspera gets no e-mail addresses');
      // Since 4.3 the activity's form shows no such choice (mod_form.php): what it sends is not read as unticked.
      const activity = JSON.parse(
        (await cli(['doctor', '--moodle', '--cmid', String(info.cmid), '--json'], workPath(), asAdmin)).stdout,
      );
      expect(JSON.stringify(activity.problems)).not.toContain('this activity sends Inspera no e-mail addresses');
      expect(activity.unchecked.join(' ')).toContain('its form shows no such choice since Moodle 4.3');
    } finally {
      await site('update-type', { typeid: info.details.typeid, tool: toolAt(origin) });
    }
  });
});

describe('without administrator rights: the launch Moodle would make (mobile web service)', () => {
  it('says plainly when the site does not allow it, and reads the id_token Moodle signs when it does', async () => {
    await setUp();
    const info = moodle();
    expect((await cli(['record', '--from-moodle', '--allow-insecure'], workPath(), asAdmin)).code).toBe(0);
    const asAda = { MOODLE_PASSWORD: info.users.ada.password };
    const args = ['doctor', '--moodle', '--moodle-user', 'ada', '--cmid', String(info.cmid)];
    await site('mobile-service', { on: false });
    const off = await cli(args, workPath(), asAda);
    expect(off.code).toBe(1);
    expect(off.stderr).toMatch(/does not let ada use its mobile web service/);
    await site('mobile-service', { on: true });
    try {
      const on = await cli([...args, '--json'], workPath(), asAda);
      const doc = JSON.parse(on.stdout);
      expect(doc.inputs?.join(' '), on.stderr + on.stdout).toMatch(
        /token from Moodle \(activity \d+, mobile web service\)/,
      );
      expect(doc.passed.map((p: { id: string }) => p.id)).toEqual(expect.arrayContaining(['token.claim.aud']));
      // The mobile launch never names a line item, on a healthy site too: not checkable here, never a finding.
      expect(doc.problems.map((p: { cause: string }) => p.cause)).not.toContain('accept-grades');
      expect(doc.unchecked.join(' ')).toMatch(
        /"Accept grades from the tool" \(the grade item\): not checkable by this route/,
      );
      expect(on.stdout + on.stderr).not.toMatch(/eyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]{5,}/);
      // --verbose shows every request and answer, the mobile web-service token in none of them (issue 29, item 13).
      const traced = await cli([...args, '--verbose'], workPath(), asAda);
      expect(traced.stderr).toMatch(/login\/token\.php/);
      expect(traced.stderr).not.toMatch(/"token"\s*:\s*"(?!\[redacted\])[0-9a-f]{16,}"/);
      expect(traced.stderr).not.toMatch(/wstoken=(?!\[redacted\])[0-9a-f]/);
    } finally {
      await site('mobile-service', { on: false });
    }
  });
});
