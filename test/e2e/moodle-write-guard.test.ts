import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectNoStackTrace, runCli, tempDir } from '../helpers/cli.js';
import { expectInert, HOSTILE } from '../helpers/hostile.js';
import { startServe, stopServe, type Served } from '../helpers/serve.js';

/**
 * init --apply and doctor --moodle against a Moodle whose answers are bent (issue 30, items 2–6): `serve platform`
 * behind a proxy on 127.0.0.1 that rewrites chosen answers, and another host on 127.0.0.2 that records whatever
 * reaches it. The CLI runs as an administrator would run it.
 */
const KEYS = fileURLToPath(new URL('../../fixtures/keys/', import.meta.url));
let dir: { path: string; cleanup: () => Promise<void> };
let platform: Served;
let proxy: Server;
let elsewhere: Server;
let wwwroot: string;
let other: string;
const reachedElsewhere: string[] = [];
/** Rewrites an answer of the embedded Moodle (path with query, method, body) or answers in its place. */
let bend: (
  path: string,
  method: string,
  body: string,
) => { body?: string; status?: number; location?: string } | undefined;
/** Answers in place of the embedded Moodle, which never sees the request. */
let swallow: (path: string, method: string) => { status: number; location: string } | undefined;
const env = { INSPERA_LTI_KEYS_DIR: KEYS, MOODLE_PASSWORD: 'any' };

function listen(server: Server, host: string): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, host, () => resolve(`http://${host}:${(server.address() as AddressInfo).port}`)),
  );
}

beforeAll(async () => {
  dir = await tempDir();
  elsewhere = createServer((req, res) => {
    reachedElsewhere.push(`${req.method} ${req.url} ${req.headers.cookie ?? ''}`);
    res.writeHead(200, { 'content-type': 'text/html' }).end('<html>saved</html>');
  });
  other = await listen(elsewhere, '127.0.0.2');
  let upstream = '';
  proxy = createServer((req, res) => {
    let sent = '';
    req.on('data', (d) => (sent += d));
    req.on('end', () => {
      const answered = swallow(req.url ?? '', req.method ?? 'GET');
      if (answered) return void res.writeHead(answered.status, { location: answered.location }).end();
      const forward = request(
        `${upstream}${req.url}`,
        { method: req.method, headers: { ...req.headers, host: new URL(wwwroot).host } },
        (answer) => {
          let body = '';
          answer.setEncoding('utf8').on('data', (d) => (body += d));
          answer.on('end', () => {
            const bent = bend(req.url ?? '', req.method ?? 'GET', body);
            const headers = { ...answer.headers };
            delete headers['content-length'];
            delete headers['transfer-encoding'];
            if (bent?.location) headers.location = bent.location;
            res.writeHead(bent?.status ?? answer.statusCode ?? 200, headers).end(bent?.body ?? body);
          });
        },
      );
      forward.end(sent);
    });
  });
  wwwroot = await listen(proxy, '127.0.0.1');
  expect((await runCli(['init', '--domain', 'university.inspera.com', '--yes'], { cwd: dir.path, env })).code).toBe(0);
  platform = await startServe(
    ['platform', '--issuer', wwwroot, '--tool-redirect-url', 'https://university.inspera.com/ltiprovider/launch/'],
    { cwd: dir.path, env },
  );
  upstream = platform.info.listening;
});
afterAll(async () => {
  if (platform) await stopServe(platform.child);
  proxy?.close();
  elsewhere?.close();
  await dir.cleanup();
});
beforeEach(() => {
  reachedElsewhere.length = 0;
  bend = () => undefined;
  swallow = () => undefined;
});

const apply = (...extra: string[]) =>
  runCli(
    [
      'init',
      '--domain',
      'university.inspera.com',
      '--moodle-url',
      wwwroot,
      '--allow-insecure',
      '--apply',
      '--force',
      '--yes',
      ...extra,
    ],
    { cwd: dir.path, env },
  );
const isEditForm = (path: string, method: string) => method === 'GET' && path.startsWith('/mod/lti/typessettings.php');

describe('init --apply writes only where it should, and says "saved" only of what Moodle holds', () => {
  it('a save Moodle answers with a redirect but does not keep is reported with what Moodle holds', async () => {
    swallow = (path, method) =>
      method === 'POST' && path.startsWith('/mod/lti/typessettings.php')
        ? { status: 303, location: '/admin/settings.php?section=modsettinglti' }
        : undefined;
    const result = await apply();
    expectNoStackTrace(result);
    expect(result.code).toBe(1);
    expect(result.stdout).not.toMatch(/Moodle saved/);
    expect(result.stderr).toMatch(
      /Moodle does not hold what was saved to tool 3: Tool URL is ".*launch\/", not ".*launch"; Redirection URI/,
    );
  });

  it('an edit form whose action is another host: nothing of the session or the form goes there', async () => {
    bend = (path, method, body) =>
      isEditForm(path, method) ? { body: body.replace(/action="[^"]*"/, `action="${other}/save.php"`) } : undefined;
    const result = await apply();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`leads to ${other}, not ${wwwroot}: stopped there`);
    expect(result.stdout + result.stderr).not.toMatch(/Moodle saved/);
    expect(reachedElsewhere).toEqual([]);
  });

  it("another vendor's tool that lists one of the tenant's URLs is not taken for Inspera's", async () => {
    // The Tool URL on another site; only the login URL (and the Redirection URI) on the tenant.
    bend = (path, method, body) =>
      isEditForm(path, method)
        ? { body: body.replace(/(name="lti_toolurl"[^>]*value=")[^"]*"/, '$1https://vendor.example/launch"') }
        : undefined;
    const mixed = await apply();
    expect(mixed.code).toBe(1);
    expect(mixed.stderr).toMatch(
      /tool 3 "Inspera Assessment" has its Tool URL \(https:\/\/vendor\.example\/launch\) and its Initiate login/,
    );
    // A name that is not Inspera's, with the tenant's URLs: shown by name and id, and not written.
    bend = (path, method, body) =>
      isEditForm(path, method)
        ? { body: body.replace(/(name="lti_typename"[^>]*value=")[^"]*"/, '$1Turnitin"') }
        : undefined;
    const named = await apply();
    expect(named.code).toBe(1);
    expect(named.stderr).toMatch(
      /tool 3 "Turnitin" points at university\.inspera\.com, but its name does not say Inspera/,
    );
    expect(named.stderr).toContain('init --apply --name "Turnitin"');
  });

  it('a page over 5 MiB is refused, not read cut; a Moodle that drips stops at --timeout naming the page', async () => {
    bend = (path, method, body) =>
      isEditForm(path, method) ? { body: body.replace('</form>', `${' '.repeat(6 * 1024 * 1024)}</form>`) } : undefined;
    const big = await apply();
    expect(big.code).toBe(1);
    expect(big.stderr).toMatch(/typessettings\.php answered more than 5 MiB: not read/);
    bend = () => undefined;
    const slowProxy = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      const timer = setInterval(() => res.write(' '), 300);
      res.on('close', () => clearInterval(timer));
    });
    const slow = await listen(slowProxy, '127.0.0.1');
    try {
      const started = Date.now();
      const result = await runCli(
        ['doctor', '--moodle', '--allow-insecure', '--moodle-url', slow, '--timeout', '1500'],
        {
          cwd: dir.path,
          env,
        },
      );
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`${slow}/login/index.php did not answer completely within 1.5 s`);
    } finally {
      slowProxy.closeAllConnections();
      slowProxy.close();
    }
  });

  it("a tool name and field values carrying the hostile corpus stay text in doctor, record, init's diff", async () => {
    const attribute = HOSTILE.replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    bend = (path, method, body) =>
      isEditForm(path, method)
        ? {
            body: body
              .replace(/(name="lti_typename"[^>]*value=")[^"]*"/, `$1Inspera ${attribute}"`)
              .replace(/(name="lti_customparameters"[^>]*>)[^<]*/, `$1enroll_candidates=true\nnote=${attribute}`),
          }
        : path.startsWith('/lib/ajax/service.php')
          ? { body: body.replace(/"name":"[^"]*"/g, `"name":${JSON.stringify(`Inspera ${HOSTILE}`)}`) }
          : undefined;
    for (const args of [
      ['doctor', '--moodle', '--allow-insecure', '--moodle-url', wwwroot],
      ['record', '--from-moodle', '--moodle-url', wwwroot, '--allow-insecure', '--dry-run'],
      ['init', '--domain', 'university.inspera.com', '--moodle-url', wwwroot, '--allow-insecure', '--apply'],
      ['init', '--domain', 'university.inspera.com', '--moodle-url', wwwroot, '--allow-insecure', '--apply'],
    ]) {
      const extra = args[0] === 'init' ? ['--force', '--dry-run'] : [];
      const result = await runCli([...args, ...extra], { cwd: dir.path, env });
      expectNoStackTrace(result);
      expectInert(result.stdout + result.stderr, args.slice(0, 2).join(' '));
    }
  });

  it('Moodle answers of another shape are a check that failed, one line, never an internal error', async () => {
    for (const odd of [
      '{"not":"a list"}',
      '[null]',
      '[{"error":false,"data":{"types":"x","proxies":[]}}]',
      '[{"error":false,"data":{"types":[{"id":"3","name":5}],"proxies":[]}}]',
      '[{"error":false,"data":null}]',
    ]) {
      bend = (path) => (path.startsWith('/lib/ajax/service.php') ? { body: odd } : undefined);
      const result = await runCli(['doctor', '--moodle', '--allow-insecure', '--moodle-url', wwwroot], {
        cwd: dir.path,
        env,
      });
      expectNoStackTrace(result);
      expect(result.stderr, odd).not.toMatch(/internal error/);
      expect(result.code, odd).toBe(1);
      expect(result.stderr.trim().split('\n'), odd).toHaveLength(1);
    }
  });

  it("doctor --moodle --tool-id of another vendor's tool says so, instead of auditing it as Inspera's", async () => {
    bend = (path, method, body) =>
      isEditForm(path, method)
        ? {
            body: body
              .replace(/(name="lti_toolurl"[^>]*value=")[^"]*"/, '$1https://vendor.example/launch"')
              .replace(/(name="lti_initiatelogin"[^>]*value=")[^"]*"/, '$1https://vendor.example/login"'),
          }
        : undefined;
    const result = await runCli(['doctor', '--moodle', '--allow-insecure', '--moodle-url', wwwroot, '--tool-id', '3'], {
      cwd: dir.path,
      env,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /--tool-id 3: tool 3 ".*" is not on this tenant's domain \(university\.inspera\.com; its/,
    );
  });

  it('the repair goes through when nothing is bent (the proxy itself changes nothing)', async () => {
    const result = await apply();
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('changes in 2 fields');
    expect(result.stdout).toContain('tool 3 "Inspera Assessment"');
    expect(result.stdout).toMatch(/Moodle saved the 2 changed fields/);
  });
});
