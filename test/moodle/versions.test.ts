import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { releaseFromReleaseText, releaseFromVersionNumber } from '../../src/moodle/versions.js';
import { signingKeyFromPem } from '../../src/lti/keys.js';
import { signJwt } from '../../src/lti/sign.js';
import { CHROME_USER_AGENT } from '../../src/sim/browser.js';
import { parseForm } from '../../src/util/html.js';
import { moodle } from './harness/site.js';
import { asToolFlags, cli, passwordFile, serveTool, stopServe, useWorkDir } from './helpers.js';

const workPath = useWorkDir();

/** The version model's column for the release this Moodle says it runs, checked row by row against it. */
describe("the version model's column for the shared Moodle (src/moodle/versions.ts)", () => {
  const played = () => {
    const release = releaseFromReleaseText(moodle().release);
    expect(release, moodle().release).toBeDefined();
    return release!;
  };

  it('names the release openid-configuration.php reports, and the same from the id_token version', async () => {
    const info = moodle();
    const discovery = (await (await fetch(`${info.wwwroot}/mod/lti/openid-configuration.php`)).json()) as Record<
      string,
      Record<string, unknown>
    >;
    const platform = discovery['https://purl.imsglobal.org/spec/lti-platform-configuration']!;
    expect(releaseFromReleaseText(String(platform.version))?.number).toBe(played().number);
    const result = await cli(
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
    const payload = JSON.parse(result.stdout).launch.payload;
    const version = payload['https://purl.imsglobal.org/spec/lti/claim/tool_platform'].version as string;
    expect(releaseFromVersionNumber(version)?.line).toBe(played().line);
  });

  it("sets the session cookie's HttpOnly and SameSite as the model says (http: none before MDL-83526)", async () => {
    const page = await fetch(`${moodle().wwwroot}/login/index.php`, { headers: { 'user-agent': CHROME_USER_AGENT } });
    const cookie = page.headers.getSetCookie().find((c) => c.startsWith('MoodleSession'))!;
    const { wire } = played().line;
    expect(cookie.includes('; HttpOnly')).toBe(wire.cookiesHttpOnly);
    expect(/SameSite=(\w+)/i.exec(cookie)?.[1]).toBe(wire.sessionSameSite === 'lax' ? 'Lax' : undefined);
    // The Moodle app ("MoodleMobile" in its User-Agent) gets None after MDL-83526; before, over http, nothing.
    const app = await fetch(`${moodle().wwwroot}/login/index.php`, {
      headers: { 'user-agent': 'Mozilla/5.0 (Linux; Android 14) MoodleMobile 4.5.0' },
    });
    const appCookie = app.headers.getSetCookie().find((c) => c.startsWith('MoodleSession'))!;
    expect(/SameSite=(\w+)/i.exec(appCookie)?.[1]).toBe(wire.sessionSameSite === 'lax' ? 'None' : undefined);
  });

  it('answers launch.php without a session as the model says', async () => {
    const answer = await fetch(`${moodle().wwwroot}/mod/lti/launch.php?id=${moodle().cmid}&triggerview=0`, {
      redirect: 'manual',
    });
    if (played().line.wire.launchWithoutSession === 'login-redirect') {
      expect(answer.status).toBe(303);
    } else {
      expect(answer.status).toBe(200);
      expect(parseForm(await answer.text())?.fields.login_hint).toBe('0');
    }
  });

  it('titles its "Invalid request" page as the model says', async () => {
    // Not logged in: auth.php goes on past its repost page only with a repost field (mod/lti/auth.php).
    const answer = await fetch(`${moodle().wwwroot}/mod/lti/auth.php?scope=openid`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'repost=true',
    });
    expect(answer.status).toBe(404);
    const title = /<title>([^<]*)<\/title>/.exec(await answer.text())?.[1] ?? '';
    if (played().line.wire.pageTitles === 'with-site') expect(title).toMatch(/^Error \| ./);
    else expect(title).toBe('Error');
  });

  it('titles its login page and refuses a login without logintoken as the model says', async () => {
    const { wire } = played().line;
    const login = await (await fetch(`${moodle().wwwroot}/login/index.php`)).text();
    const title = /<title>([^<]*)<\/title>/.exec(login)?.[1] ?? '';
    if (wire.pageTitles === 'with-site') expect(title).toMatch(/^Log in to the site \| ./);
    else expect(title).toMatch(/: Log in to the site$/);
    const refused = await fetch(`${moodle().wwwroot}/login/index.php`, {
      method: 'POST',
      body: new URLSearchParams({ username: 'ada', password: 'x' }),
      redirect: 'manual',
    });
    expect(refused.status).toBe(303);
    expect(new URL(refused.headers.get('location')!).search).toBe(
      wire.refusedLogin === 'loginredirect' ? '?loginredirect=1' : '',
    );
  });

  it("words token.php's clock error as the model's php-jwt does", async () => {
    const info = moodle();
    const tool = await serveTool(workPath());
    try {
      const pem = await readFile(join(info.keysDir, 'tool.pem'), 'utf8');
      const kid = (await readFile(join(info.keysDir, 'tool.pem.kid'), 'utf8')).trim();
      const key = await signingKeyFromPem(pem, kid, 'tool.pem');
      const now = Math.floor(Date.now() / 1000);
      const assertion = await signJwt(
        {
          iss: info.details.clientid,
          sub: info.details.clientid,
          aud: info.details.accesstokenurl,
          iat: now + 30,
          exp: now + 300,
        },
        key,
      );
      const answer = await fetch(info.details.accesstokenurl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: assertion,
          scope: 'https://purl.imsglobal.org/spec/lti-ags/scope/score',
        }),
      });
      expect(answer.status).toBe(400);
      const body = await answer.text();
      expect(body).toContain(
        played().line.wire.tokenTimeMessages === 'iat-or-nbf'
          ? 'Cannot handle token with iat prior to'
          : 'Cannot handle token prior to',
      );
    } finally {
      await stopServe(tool.child);
    }
  });
});
