import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pattern } from '../helpers/pattern.js';
import { byLine, moodle, playedRelease, site, toolAt } from './harness/site.js';
import { asToolFlags, cli, passwordFile, useWorkDir } from './helpers.js';

const workPath = useWorkDir();

/** The second tool type: registered at http://localhost:<port> (another site than Moodle's 127.0.0.1), Embed. */
function crossSiteFlags(): string[] {
  const info = moodle();
  return asToolFlags({
    clientId: info.crossSite.details.clientid,
    deploymentId: info.crossSite.details.deploymentid,
    cmid: info.crossSite.cmid,
    toolPort: info.crossSitePort,
    toolBaseUrl: `http://localhost:${info.crossSitePort}`,
  });
}

describe('cross-site launches against a real Moodle', () => {
  it("an embedded launch into a tool on another site meets Moodle's repost page and follows it", async () => {
    const ada = moodle().users.ada;
    const result = await cli(
      [
        'simulate',
        'launch',
        '--json',
        ...crossSiteFlags(),
        '--username',
        'ada',
        '--password-file',
        await passwordFile(workPath(), ada),
        '--har',
        join(workPath(), 'recovered.har'),
      ],
      workPath(),
    );
    const doc = JSON.parse(result.stdout);
    expect(doc.launch.verdict, result.stderr).toBe('launch accepted by the tool');
    // doctor reads the same story from the capture, in its order, and the release from the id_token in it.
    const doctor = JSON.parse(
      (await cli(['doctor', '--har', join(workPath(), 'recovered.har'), '--json'], workPath())).stdout,
    );
    const timeline = doctor.timeline.join('\n');
    expect(timeline).toMatch(
      pattern(
        /did not go with the tool's request to auth\.php: Moodle answered its cross-site repost page[\s\S]*/,
        /went with the request to auth\.php \(the repost page's POST\)/,
      ),
    );
    expect(doctor.moodle.release).toBe(playedRelease().number);
    const steps = doc.launch.steps as Array<{
      method: string;
      url: string;
      status: number;
      note: string | null;
      form?: string;
    }>;
    const repost = steps.findIndex((s) => s.note === 'auth.php repost page');
    expect(repost).toBeGreaterThan(0);
    // The real page: a GET of auth.php without the (Lax) session cookie inside the iframe, its form id="autopostme".
    expect(steps[repost]).toMatchObject({ method: 'GET', status: 200, form: 'autopostme' });
    expect(new URL(steps[repost]!.url).pathname).toBe('/mod/lti/auth.php');
    expect(steps[repost + 1]).toMatchObject({ method: 'POST', status: 200, form: 'ltiAuthForm' });
    expect(new URL(steps[repost - 1]!.url).host).toBe(`localhost:${moodle().crossSitePort}`);
    expect(result.code).toBe(0);
  });

  it(
    'with third-party cookies blocked the tool loses its state ' +
      'cookie, and doctor names that cause from the capture',
    async () => {
      const ada = moodle().users.ada;
      const har = join(workPath(), 'blocked.har');
      const result = await cli(
        [
          'simulate',
          'launch',
          '--json',
          ...crossSiteFlags(),
          '--username',
          'ada',
          '--password-file',
          await passwordFile(workPath(), ada),
          '--block-third-party-cookies',
          '--har',
          har,
        ],
        workPath(),
      );
      expect(result.code).toBe(1);
      const doc = JSON.parse(result.stdout);
      expect(doc.launch.stage).toBe('tool-launch');
      expect(doc.launch.toolChecks.find((c: { id: string }) => c.id === 'state.cookie').status).toBe('fail');
      const capture = await readFile(har, 'utf8');
      expect(capture).not.toContain(ada.password);
      const doctor = await cli(['doctor', '--har', har, '--json'], workPath());
      expect(doctor.code).toBe(1);
      const diagnosis = JSON.parse(doctor.stdout);
      expect(diagnosis.problems[0].cause, doctor.stdout).toBe('state-cookie');
    },
  );

  it(
    'MDL-83526: a tool that POSTs with repost in a new window loses the session on 5.2.1+ (Lax) and, over http, on ' +
      '4.5.6 too (no SameSite: Lax in Chrome); doctor reads which from the capture',
    async () => {
      const info = moodle();
      const ada = info.users.ada;
      const origin = `http://localhost:${info.crossSitePort}`;
      // The cross-site tool in a new window: a top-level cross-site POST, where the two releases differ.
      await site('update-type', {
        typeid: info.crossSite.details.typeid,
        tool: toolAt(origin, { name: 'Inspera (cross-site)', launchContainer: 'new-window' }),
      });
      try {
        const har = join(workPath(), 'repost.har');
        const result = await cli(
          [
            'simulate',
            'launch',
            '--json',
            ...crossSiteFlags(),
            '--scenario',
            'tool-sends-repost',
            '--username',
            'ada',
            '--password-file',
            await passwordFile(workPath(), ada),
            '--har',
            har,
          ],
          workPath(),
        );
        const doc = JSON.parse(result.stdout);
        // A person launches minutes after logging in: past Chrome's two minutes of Lax-allowing-unsafe.
        expect(doc.scenario.reproduced, `${info.release}: ${doc.launch.verdict}`).toBe(true);
        const doctor = JSON.parse((await cli(['doctor', '--har', har, '--json'], workPath())).stdout);
        expect(doctor.moodle?.sessionSameSite).toBe(byLine({ '4.5': 'absent', '5.2': 'Lax' }));
        expect(doctor.problems[0]?.cause, JSON.stringify(doctor.problems)).toBe('repost');
        // Not blamed on an update the site has not had: 4.5.6 over http is before MDL-83526.
        expect(doctor.problems[0].why).toMatch(
          byLine({
            '4.5': /before MDL-83526, served over http .* not because of an update/,
            '5.2': /SameSite=Lax .* it is past the update, so this is that failure/,
          }),
        );
      } finally {
        await site('update-type', {
          typeid: info.crossSite.details.typeid,
          tool: toolAt(origin, { name: 'Inspera (cross-site)', launchContainer: 'embed' }),
        });
      }
    },
  );
});
