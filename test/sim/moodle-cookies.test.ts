import { describe, expect, it } from 'vitest';
import { moodleRelease } from '../../src/moodle/versions.js';
import { findScenario } from '../../src/sim/scenarios.js';
import { simulate } from '../../src/sim/simulate.js';
import { FIXTURE_KEYS, demoConfig } from '../helpers/sim.js';

/**
 * The embedded Moodle sets its cookies as Moodle does (issue 23, item 4; issue 20): lib/classes/session/manager.php
 * (session cookie: path /, HttpOnly, Secure on an https site; before MDL-83526 SameSite=None only for Chrome 78+ over
 * https, from it SameSite=Lax) and lib/sessionlib.php set_moodle_cookie (MOODLEID1_: the old one deleted, then the
 * new one for 60 days). 4.2.1 set neither cookie HttpOnly. The simulated browser says it is Chrome.
 */
const setCookies = (step: { capture: { responseHeaders: Record<string, string> } }) =>
  (step.capture.responseHeaders['set-cookie'] ?? '').split('\n').filter(Boolean);

async function loginCookies(release: string): Promise<string[]> {
  const result = await simulate({
    config: demoConfig(),
    keys: FIXTURE_KEYS,
    overrides: { moodle: moodleRelease(release) },
  });
  const login = result.launch.steps.find((s) => s.method === 'POST' && s.url.endsWith('/login/index.php'))!;
  return setCookies(login);
}

describe('the embedded Moodle sets cookies as Moodle does', () => {
  it.each([
    ['4.5.6', '; HttpOnly; SameSite=None', '; HttpOnly'],
    ['4.5.12', '; HttpOnly; SameSite=Lax', '; HttpOnly'],
    ['5.1.5', '; HttpOnly; SameSite=Lax', '; HttpOnly'],
    ['4.2.1', '; SameSite=None', ''],
  ])(
    'the login on an https site, Moodle %s: MoodleSession%s; MOODLEID1_ deleted, then set for 60 days',
    async (release, session, moodleId) => {
      const lines = await loginCookies(release);
      expect(lines[0]).toMatch(new RegExp(`^MoodleSession=\\w+; path=/; secure${session}$`));
      expect(lines[1]).toBe(
        `MOODLEID1_=deleted; expires=Thu, 01 Jan 1970 00:00:01 GMT; Max-Age=0; path=/; secure${moodleId}`,
      );
      expect(lines[2]).toMatch(
        new RegExp(
          '^MOODLEID1_=[^;]+; expires=\\w{3}, \\d{2} \\w{3} \\d{4} [\\d:]+ GMT; ' +
            `Max-Age=5184000; path=/; secure${moodleId}$`,
        ),
      );
      const expires = Date.parse(/expires=([^;]+)/.exec(lines[2]!)![1]!);
      expect(expires - Date.now()).toBeGreaterThan(59 * 86_400_000);
    },
  );

  it(
    'auth.php\'s "Invalid request" page sets a new MoodleSession for ' + 'a visitor without one, and none with one',
    async () => {
      // A tool that sends "repost" reaches auth.php without Moodle's session (Lax since MDL-83526: it stays behind).
      const lost = await simulate({
        config: demoConfig(),
        keys: FIXTURE_KEYS,
        scenario: findScenario('tool-sends-repost')!,
        overrides: { moodle: moodleRelease('5.2.1') },
      });
      const withoutSession = lost.launch.steps.at(-1)!;
      expect(withoutSession.url).toMatch(/\/mod\/lti\/auth\.php$/);
      expect(withoutSession.status).toBe(404);
      expect(setCookies(withoutSession)).toEqual([
        expect.stringMatching(/^MoodleSession=\w+; path=\/; secure; HttpOnly; SameSite=Lax$/),
      ]);
      // The session went with the request: the same page sets no cookie.
      const wrongUri = await simulate({
        config: demoConfig(),
        keys: FIXTURE_KEYS,
        scenario: findScenario('redirect-uri-not-registered')!,
      });
      const withSession = wrongUri.launch.steps.find(
        (s) => new URL(s.url).pathname === '/mod/lti/auth.php' && s.status === 404,
      )!;
      expect(setCookies(withSession)).toEqual([]);
    },
  );

  it('tool-sends-repost fails where the session cookie is Lax, and does not apply before MDL-83526', async () => {
    const run = (release: string) =>
      simulate({
        config: demoConfig(),
        keys: FIXTURE_KEYS,
        scenario: findScenario('tool-sends-repost')!,
        overrides: { moodle: moodleRelease(release) },
      });
    for (const release of ['4.5.12', '5.0.8', '5.1.5', '5.2.1']) {
      const result = await run(release);
      expect(result.scenario, release).toMatchObject({ reproduced: true });
      expect(result.scenario?.doesNotApply).toBeUndefined();
    }
    for (const release of ['4.2.1', '4.5.6', '5.0.6', '5.1.4']) {
      const result = await run(release);
      expect(result.ok, release).toBe(true);
      expect(result.scenario?.reproduced).toBe(false);
      expect(result.scenario?.doesNotApply).toMatch(
        new RegExp(`this run played Moodle ${release.replace(/\./g, '\\.')}, where it does not apply`),
      );
    }
  });
});
