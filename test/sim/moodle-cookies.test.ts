import { describe, expect, it } from 'vitest';
import { findScenario } from '../../src/sim/scenarios.js';
import { simulate } from '../../src/sim/simulate.js';
import { FIXTURE_KEYS, demoConfig } from '../helpers/sim.js';

/**
 * The embedded Moodle sets its cookies as Moodle 4.5.6 does (issue 23, item 4): lib/classes/session/manager.php
 * (session cookie: path /, HttpOnly, Secure on an https site, SameSite=None only for Chrome 78+ over https) and
 * lib/sessionlib.php set_moodle_cookie (MOODLEID1_: the old one deleted, then the new one for 60 days).
 */
const setCookies = (step: { capture: { responseHeaders: Record<string, string> } }) =>
  (step.capture.responseHeaders['set-cookie'] ?? '').split('\n').filter(Boolean);

describe('the embedded Moodle sets cookies as Moodle does', () => {
  it(
    'the login on an https site: MoodleSession secure and HttpOnly; ' + 'MOODLEID1_ deleted, then set for 60 days',
    async () => {
      const result = await simulate({ config: demoConfig(), keys: FIXTURE_KEYS });
      const login = result.launch.steps.find((s) => s.method === 'POST' && s.url.endsWith('/login/index.php'))!;
      const lines = setCookies(login);
      expect(lines[0]).toMatch(/^MoodleSession=\w+; path=\/; secure; HttpOnly$/);
      expect(lines[1]).toBe(
        'MOODLEID1_=deleted; expires=Thu, 01 Jan 1970 00:00:01 GMT; Max-Age=0; path=/; secure; HttpOnly',
      );
      expect(lines[2]).toMatch(
        /^MOODLEID1_=[^;]+; expires=\w{3}, \d{2} \w{3} \d{4} [\d:]+ GMT; Max-Age=5184000; path=\/; secure; HttpOnly$/,
      );
      const expires = Date.parse(/expires=([^;]+)/.exec(lines[2]!)![1]!);
      expect(expires - Date.now()).toBeGreaterThan(59 * 86_400_000);
    },
  );

  it(
    'auth.php\'s "Invalid request" page sets a new MoodleSession for ' + 'a visitor without one, and none with one',
    async () => {
      // A tool that sends "repost" reaches auth.php without Moodle's session (its Lax-by-default cookie stays behind).
      const lost = await simulate({
        config: demoConfig(),
        keys: FIXTURE_KEYS,
        scenario: findScenario('tool-sends-repost')!,
      });
      const withoutSession = lost.launch.steps.at(-1)!;
      expect(withoutSession.url).toMatch(/\/mod\/lti\/auth\.php$/);
      expect(withoutSession.status).toBe(404);
      expect(setCookies(withoutSession)).toEqual([
        expect.stringMatching(/^MoodleSession=\w+; path=\/; secure; HttpOnly$/),
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
});
