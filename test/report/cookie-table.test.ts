import { describe, expect, it } from 'vitest';
import { launchHtml } from '../../src/report/html.js';
import { pictureFromSimulation } from '../../src/report/picture-from.js';
import { cookieVerdicts } from '../../src/sim/launch-picture.js';
import { simulationChecks } from '../../src/sim/results.js';
import { simulate } from '../../src/sim/simulate.js';
import { FIXTURE_KEYS, demoConfig } from '../helpers/sim.js';

describe("the HTML report's cookie table (issue 23, item 5)", () => {
  it('lists each cookie once, with every Set-Cookie that touched it in order', async () => {
    const result = await simulate({ config: demoConfig(), keys: FIXTURE_KEYS });
    const html = launchHtml(pictureFromSimulation('launch', result, simulationChecks(result)), {
      version: '0',
      when: 'now',
    });
    const rows = [...html.matchAll(/<tr data-cookie="([^"]+)">/g)].map((m) => m[1]);
    expect(rows).toContain('MoodleSession');
    expect(rows.filter((name) => name === 'MoodleSession')).toHaveLength(1);
    expect(new Set(rows).size).toBe(rows.length);
    // Moodle sets its session cookie for the guest, then again at the login.
    const session = /<tr data-cookie="MoodleSession">[\s\S]*?<ol class="set-cookies">([\s\S]*?)<\/ol>/.exec(html)![1]!;
    expect([...session.matchAll(/<li>/g)].length).toBeGreaterThanOrEqual(2);
    expect(session).toMatch(/^<li>\/login\/index\.php: SameSite=/);
  });

  it('a deletion line is kept in the history, and the cookie keeps what the last line that set it left', () => {
    const verdicts = cookieVerdicts([
      {
        method: 'GET',
        url: 'https://moodle.example.edu/login/index.php',
        status: 200,
        params: {},
        setCookies: [{ name: 'MOODLEID1_', secure: true, deletes: true }],
      },
      {
        method: 'GET',
        url: 'https://moodle.example.edu/login/index.php',
        status: 200,
        params: {},
        setCookies: [{ name: 'MOODLEID1_', sameSite: 'None', secure: true }],
      },
    ]);
    expect(verdicts).toHaveLength(1);
    expect(verdicts[0]!.history.map((h) => h.set)).toEqual(['deleted', 'SameSite=None; Secure']);
    expect(verdicts[0]!.sameSite).toBe('None');
  });
});
