import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { moodle, site, toolAt } from './harness/site.js';
import { asToolFlags, cli, initAndRecord, passwordFile, serveTool, stopServe, useWorkDir } from './helpers.js';

const workPath = useWorkDir({ restoreTool: true });

async function launch(extra: string[] = [], flags: Parameters<typeof asToolFlags>[0] = {}) {
  const ada = moodle().users.ada;
  const result = await cli(
    [
      'simulate',
      'launch',
      '--json',
      ...asToolFlags(flags),
      '--username',
      'ada',
      '--password-file',
      await passwordFile(workPath(), ada),
      ...extra,
    ],
    workPath(),
  );
  return { ...result, doc: JSON.parse(result.stdout) };
}

describe('failures made on the real Moodle, and their diagnosis', () => {
  it(
    'a Redirection URI Moodle does not have: its "Invalid request" ' +
      'page (HTTP 404), diagnosed as the Redirection URI',
    async () => {
      const info = moodle();
      const origin = `http://127.0.0.1:${info.toolPort}`;
      await site('update-type', {
        typeid: info.details.typeid,
        tool: toolAt(origin, { redirectUrls: [`${origin}/ltiprovider/launch/`] }),
      });
      const har = join(workPath(), 'redirect.har');
      const { code, doc } = await launch(['--har', har]);
      expect(code).toBe(1);
      expect(doc.launch.stage).toBe('authentication');
      const auth = doc.launch.steps.at(-1);
      expect(new URL(auth.url).pathname).toBe('/mod/lti/auth.php');
      expect(auth.status).toBe(404);
      // The verdict points at the Redirection URI the tool sent, not at cookies: the Moodle session went with the
      // request.
      expect(doc.launch.verdict).toMatch(/Invalid request/);
      expect(doc.launch.verdict).toContain(`${origin}/ltiprovider/launch`);
      expect(doc.launch.verdict).toMatch(/Redirection URI/);
      expect(doc.launch.verdict).not.toMatch(/cookie|iframe/i);
      const doctor = await cli(['doctor', '--har', har, '--json'], workPath());
      expect(JSON.parse(doctor.stdout).problems[0].cause, doctor.stdout).toBe('redirect-uri');
      const fromText = await cli(['doctor', '--error', 'Invalid request', '--json'], workPath());
      expect(JSON.parse(fromText.stdout).problems[0].cause).toBe('redirect-uri');
    },
  );

  it(
    "a wrong Client ID in the tool: the tool refuses Moodle's at the login initiation; token.php answers " +
      'invalid_client',
    async () => {
      const { code, doc } = await launch([], { clientId: 'WrongClient1234' });
      expect(code).toBe(1);
      // As ltijs and pylti1.3 do, the tool holds no registration with the Client ID Moodle sends, and says so.
      expect(doc.launch.stage).toBe('login-initiation');
      expect(doc.launch.cause.id).toBe('client-id');
      const doctor = await cli(['doctor', '--error', 'unauthorized_client', '--json'], workPath());
      expect(JSON.parse(doctor.stdout).problems[0].cause).toBe('client-id');

      const info = moodle();
      const validate = await cli(
        ['validate', '--json', '--only', 'platform', '--platform-id', info.wwwroot, '--client-id', 'WrongClient1234'],
        workPath(),
      );
      const token = JSON.parse(validate.stdout).results.find((r: { id: string }) => r.id === 'platform.token');
      expect(token).toMatchObject({ status: 'fail', finding: expect.stringMatching(/invalid_client/) });
      expect(validate.code).toBe(1);
    },
  );

  it(
    "the tool keyset blocked by curlsecurityblockedhosts: token.php's " +
      'fatal error page, and validate names the setting',
    async () => {
      const info = moodle();
      const work = join(workPath(), 'blocked');
      await (await import('node:fs/promises')).mkdir(work);
      await initAndRecord(work);
      const extra = join(info.root, 'config-extra.php');
      const saved = await readFile(extra, 'utf8');
      // Moodle's defaults again: loopback hosts blocked, ports 80 and 443 only.
      await writeFile(extra, '<?php\n');
      const tool = await serveTool(work);
      try {
        const validate = await cli(['validate', '--json', '--only', 'platform'], work);
        const token = JSON.parse(validate.stdout).results.find((r: { id: string }) => r.id === 'platform.token');
        expect(token.status).toBe('fail');
        expect(token.finding).toMatch(/fatal error page .*cURL blocked hosts list" \(curlsecurityblockedhosts\)/);
        expect(token.fix.where).toBe('Moodle: Site administration > General > Security > HTTP security');
        expect(token.evidence).toMatch(/fix_jwks_alg|jwks/);
        const doctor = await cli(['doctor', '--live', '--json'], work);
        expect(JSON.parse(doctor.stdout).problems[0].cause, doctor.stdout).toBe('tool-keyset');
      } finally {
        await writeFile(extra, saved);
        await stopServe(tool.child);
      }
    },
  );
});
