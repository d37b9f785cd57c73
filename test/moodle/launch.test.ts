import { describe, expect, it } from 'vitest';
import { moodle, site, toolAt, type Person } from './harness/site.js';
import { asToolFlags, cli, passwordFile, REFUSED_LOGIN, useWorkDir } from './helpers.js';

const workPath = useWorkDir({ restoreTool: true });

const CONTAINERS = [
  ['new-window', 'launch.php in a new window'],
  ['existing-window', undefined],
  ['embed', "launch.php inside the activity page's iframe (Embed)"],
  ['embed-no-blocks', "launch.php inside the activity page's iframe (Embed)"],
] as const;

async function launch(person: Person, extra: string[] = []) {
  const result = await cli(
    [
      'simulate',
      'launch',
      '--json',
      ...asToolFlags(),
      '--username',
      person.username,
      '--password-file',
      await passwordFile(workPath(), person),
      ...extra,
    ],
    workPath(),
  );
  return { ...result, doc: result.stdout ? JSON.parse(result.stdout) : undefined };
}

describe('simulate launch --platform-url against a real Moodle', () => {
  for (const [container, note] of CONTAINERS) {
    it(
      `launch container ${container}: a learner and ` + `the teacher, through the activity page Moodle ` + `renders`,
      async () => {
        const info = moodle();
        await site('update-type', {
          typeid: info.details.typeid,
          tool: toolAt(`http://127.0.0.1:${info.toolPort}`, { launchContainer: container }),
        });
        for (const [person, role] of [
          [info.users.ada, 'membership#Learner'],
          [info.users.teacher, 'membership#Instructor'],
        ] as const) {
          const { code, doc, stderr } = await launch(person);
          expect(doc?.launch.verdict, stderr).toBe('launch accepted by the tool');
          expect(code).toBe(0);
          const steps = doc.launch.steps as Array<{
            method: string;
            url: string;
            status: number;
            note: string | null;
            sent: Record<string, string>;
          }>;
          const paths = steps.map((s) => `${s.method} ${new URL(s.url).pathname} ${s.status}`);
          // The real login: the page for its logintoken, the POST (303), the testsession redirect.
          expect(paths.slice(0, 3)).toEqual([
            'GET /login/index.php 200',
            'POST /login/index.php 303',
            'GET /login/index.php 303',
          ]);
          // Sent (the login went through), and never printed: a live logintoken is redacted in every output.
          expect(steps[1]!.sent.logintoken).toBe('[redacted]');
          expect(steps[1]!.sent.password).toBe('(hidden)');
          expect(steps[2]!.sent.testsession).toBe(String(person.id));
          const view = paths.findIndex((p) => p.startsWith('GET /mod/lti/view.php'));
          // Existing window: view.php redirects straight to launch.php; the others render a page that opens it.
          expect(paths[view]).toBe(`GET /mod/lti/view.php ${container === 'existing-window' ? 303 : 200}`);
          expect(paths[view + 1]).toBe('GET /mod/lti/launch.php 200');
          if (note) expect(steps[view + 1]!.note).toBe(note);
          expect(paths.slice(-3)).toEqual([
            'POST /ltiprovider/init 302',
            'GET /mod/lti/auth.php 200',
            'POST /ltiprovider/launch 200',
          ]);
          expect(doc.launch.payload.sub).toBe(String(person.id));
          expect(doc.launch.payload['https://purl.imsglobal.org/spec/lti/claim/roles'].join(' ')).toContain(role);
          expect(doc.launch.payload.iss).toBe(info.wwwroot);
        }
      },
    );
  }

  it('a refused login is a finding, never a session: a guest cookie is no login', async () => {
    const info = moodle();
    const wrong = { ...info.users.ada, password: 'not-the-password-1A!' };
    const { code, doc } = await launch(wrong);
    expect(code).toBe(1);
    expect(doc.launch.stage).toBe('login');
    expect(doc.launch.verdict).toBe(`Moodle refused the login for ada: "${REFUSED_LOGIN()}"`);
    // Moodle did set a (guest) MoodleSession; the run still stopped at the login.
    expect(doc.launch.steps.map((s: { url: string }) => new URL(s.url).pathname)).not.toContain('/mod/lti/view.php');
  });

  it('the password comes from MOODLE_PASSWORD too, and is never printed', async () => {
    const info = moodle();
    const result = await cli(['simulate', 'launch', ...asToolFlags(), '--username', 'alan'], workPath(), {
      MOODLE_PASSWORD: info.users.alan.password,
    });
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout + result.stderr).not.toContain(info.users.alan.password);
    expect(result.stdout).toContain('password=(hidden)');
  });
});
