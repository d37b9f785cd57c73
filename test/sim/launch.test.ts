import { afterEach, describe, expect, it } from 'vitest';
import { CLAIM } from '../../src/lti/claims.js';
import { planEnvironment, startEnvironment, type Environment } from '../../src/sim/environment.js';
import { runLaunch } from '../../src/sim/launch-flow.js';
import { FIXTURE_KEYS, demoConfig } from '../helpers/sim.js';

let env: Environment | undefined;
afterEach(async () => env?.close());

describe('embedded launch', () => {
  it('runs the full OIDC third-party login and the tool accepts a learner', async () => {
    env = await startEnvironment(planEnvironment(demoConfig(), FIXTURE_KEYS));
    const outcome = await runLaunch(env.http, {
      wwwroot: 'https://moodle.example.edu',
      cmid: 12,
      username: 'ada',
      password: 'any',
    });
    expect(outcome.verdict).toBe('launch accepted by the tool');
    expect(outcome.ok).toBe(true);
    expect(outcome.steps.map((s) => `${s.method} ${new URL(s.url).pathname} ${s.status}`)).toEqual([
      'GET /login/index.php 200',
      'POST /login/index.php 303',
      'GET /login/index.php 303',
      'GET /my/ 200',
      'GET /mod/lti/view.php 200',
      'GET /mod/lti/launch.php 200',
      'POST /ltiprovider/init 302',
      'GET /mod/lti/auth.php 200',
      'POST /ltiprovider/launch 200',
    ]);
    const payload = outcome.tool!.payload!;
    expect(payload.iss).toBe('https://moodle.example.edu');
    expect(payload.aud).toBe('EhdzqulqmXxNDkw');
    expect(payload[CLAIM.roles]).toEqual(['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner']);
    expect((payload.exp as number) - (payload.iat as number)).toBe(60);
    expect(payload[CLAIM.custom]).toMatchObject({ enroll_candidates: 'true' });
    // The default container is New window: the activity page links to launch.php.
    expect(outcome.steps[5]?.note).toBe('launch.php in a new window');
  });

  it(
    "an embedded launch runs in the activity page's iframe; with " +
      'third-party cookies blocked the tool loses its cookie',
    async () => {
      const config = demoConfig({ moodle: { launchContainer: 'embed' } });
      env = await startEnvironment(planEnvironment(config, FIXTURE_KEYS));
      const allowed = await runLaunch(env.http, {
        wwwroot: 'https://moodle.example.edu',
        cmid: 12,
        username: 'ada',
        password: 'any',
      });
      expect(allowed.ok).toBe(true);
      expect(allowed.steps[5]?.note).toBe("launch.php inside the activity page's iframe (Embed)");
      const blocked = await runLaunch(env.http, {
        wwwroot: 'https://moodle.example.edu',
        cmid: 12,
        username: 'ada',
        password: 'any',
        blockThirdPartyCookies: true,
      });
      expect(blocked.ok).toBe(false);
      expect(blocked.tool?.results.find((r) => r.id === 'state.cookie')?.status).toBe('fail');
      // The same browser settings do no harm when Moodle opens Inspera in a new window.
      await env.close();
      env = await startEnvironment(planEnvironment(demoConfig(), FIXTURE_KEYS));
      expect(
        (
          await runLaunch(env.http, {
            wwwroot: 'https://moodle.example.edu',
            cmid: 12,
            username: 'ada',
            password: 'any',
            blockThirdPartyCookies: true,
          })
        ).ok,
      ).toBe(true);
    },
  );
});
