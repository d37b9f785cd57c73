import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { fixtureKey } from '../helpers/sim.js';
import { freePort } from '../helpers/harness.js';

/**
 * The fault servers of validate's tests, run through `doctor --live`: the cause must follow from what went wrong
 * (the way there, the site's errors, not Moodle at that address, the keyset), never from which check failed.
 */
let fake: Server;
let origin: string;
let dir: { path: string; cleanup: () => Promise<void> };

beforeAll(async () => {
  dir = await tempDir();
  fake = createServer((req, res) => {
    const url = req.url ?? '';
    if (url.startsWith('/err500/'))
      res.writeHead(500, { 'content-type': 'text/html' }).end('<html><body>Internal error</body></html>');
    else if (url.startsWith('/html/'))
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<!DOCTYPE html><html><head><title>Log in to the site</title></head></html>');
    else if (url.startsWith('/loop/')) res.writeHead(302, { location: url }).end();
    else if (url.startsWith('/hang/')) {
      /* never answers */
    } else if (url === '/nokid/mod/lti/certs.php')
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ keys: [{ ...fixtureKey('other').jwk, kid: undefined }] }));
    else if (url === '/empty/mod/lti/certs.php')
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"keys": []}');
    else res.writeHead(404, { 'content-type': 'text/html' }).end('<html>Not found</html>');
  });
  await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
});
afterAll(async () => {
  fake.closeAllConnections();
  fake.close();
  await dir.cleanup();
});

async function doctorLive(platformId: string, skip: string[], timeoutMs = 1500) {
  const file = join(dir.path, `${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(
    file,
    [
      'allowInsecure: true',
      'tool:',
      '  domain: 127.0.0.1:9',
      '  scheme: http',
      'platform:',
      `  platformId: ${platformId}`,
      '  clientId: EhdzqulqmXxNDkw',
      '  deploymentId: "3"',
      `  publicKeysetUrl: ${platformId}/mod/lti/certs.php`,
      `  accessTokenUrl: ${platformId}/mod/lti/token.php`,
      `  authRequestUrl: ${platformId}/mod/lti/auth.php`,
      'checks:',
      `  skip: [${skip.join(', ')}]`,
      '',
    ].join('\n'),
  );
  const started = Date.now();
  const result = await runCli(['--config', file, 'doctor', '--live', '--json', '--timeout', String(timeoutMs)], {
    cwd: dir.path,
  });
  return {
    ...result,
    ms: Date.now() - started,
    doc: JSON.parse(result.stdout) as { problems: Array<{ cause: string; fix: { system: string } }> },
  };
}

const TOOL = ['tool.keyset', 'tool.login-init', 'tool.launch', 'tool.urls', 'tool.clock'];

describe('doctor --live names the cause the evidence shows', () => {
  it('a refused connection on both sides: this machine cannot reach them (network), not a config value', async () => {
    const closed = await freePort();
    const { doc, code } = await doctorLive(`http://127.0.0.1:${closed}`, ['tool.urls']);
    expect(code).toBe(1);
    expect(doc.problems[0]!.cause).toBe('unreachable');
    expect(doc.problems[0]!.fix.system).toBe('network');
    expect(doc.problems.map((p) => p.cause)).not.toContain('issuer-mismatch');
  });

  it.each([
    ['err500', 'site-error'],
    ['loop', 'site-error'],
    ['html', 'wwwroot'],
  ])('a Moodle at /%s: %s first', async (prefix, expected) => {
    const { doc } = await doctorLive(`${origin}/${prefix}`, TOOL);
    expect(doc.problems[0]!.cause).toBe(expected);
    expect(doc.problems.map((p) => p.cause)).not.toContain('issuer-mismatch');
  });

  it.each([['nokid'], ['empty']])('a %s keyset is a keyset problem, not "not Moodle\'s wwwroot"', async (prefix) => {
    const { doc } = await doctorLive(`${origin}/${prefix}`, [
      ...TOOL,
      'platform.discovery',
      'platform.token',
      'platform.auth',
      'platform.clock',
    ]);
    expect(doc.problems[0]!.cause).toBe('platform-keyset');
  });

  it('a hanging Moodle is unreachable, and the whole run stays within one --timeout', async () => {
    const { doc, ms } = await doctorLive(`${origin}/hang`, TOOL, 1500);
    expect(doc.problems[0]!.cause).toBe('unreachable');
    // One bound for the run (the keyset fetch and the checks no longer add up); start-up of the CLI on top.
    expect(ms).toBeLessThan(1500 + 1400);
  });
});
