import { createServer, request as httpRequest, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/util/free-port.js';
import { moodle } from './harness/site.js';
import { cli, useWorkDir } from './helpers.js';

/**
 * validate's Authorization probe against the real Moodle (issue 32, point 2): directly (PHP's built-in server passes
 * the header) and through a proxy that drops it, as a CGI/FastCGI server or proxy without CGIPassAuth does.
 */
const workPath = useWorkDir();
let proxy: Server;
let proxyOrigin: string;

beforeAll(async () => {
  const target = new URL(moodle().wwwroot);
  const port = await freePort();
  proxy = createServer((incoming, outgoing) => {
    const { authorization: _dropped, ...headers } = incoming.headers;
    const forwarded = httpRequest(
      { host: target.hostname, port: target.port, path: incoming.url, method: incoming.method, headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => proxy.listen(port, '127.0.0.1', resolve));
  proxyOrigin = `http://127.0.0.1:${port}`;
});
afterAll(() => new Promise<void>((resolve) => proxy.close(() => resolve())));

const probe = async (platformId: string) => {
  const result = await cli(
    ['validate', '--only', 'platform', '--platform-id', platformId, '--allow-insecure', '--json'],
    workPath(),
  );
  return JSON.parse(result.stdout).results.find((r: { id: string }) => r.id === 'platform.authorization');
};

describe("the Authorization header and the real Moodle's PHP", () => {
  it('reaches it directly: openid-registration.php shows an error page, not missing_registration_token', async () => {
    expect(await probe(moodle().wwwroot)).toMatchObject({ status: 'pass' });
  });

  it('stripped by a proxy in front: named, with the web server setting as the fix', async () => {
    const check = await probe(proxyOrigin);
    expect(check).toMatchObject({ status: 'fail', cause: { id: 'authorization-stripped' } });
    expect(check.finding).toContain('missing_registration_token');
  });
});
