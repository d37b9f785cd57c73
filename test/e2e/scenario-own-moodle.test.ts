import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { createServer, type Server } from 'node:https';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { freePort } from '../helpers/harness.js';
import { registeredToolArgs, startServe, stopServe, type Served } from '../helpers/serve.js';
import { toolUrlsFor } from '../../src/inspera/urls.js';

/**
 * MDL-83526's scenario against a Moodle of the user's (issue 28, item 5): whether it applies is read from the
 * session cookie that Moodle sets in the run, not from a release number. `serve platform` plays a Moodle behind an
 * https front (a local CA the CLI trusts through NODE_EXTRA_CA_CERTS), the tool on another site (127.0.0.1 against
 * localhost).
 */
const TLS = fileURLToPath(new URL('../../fixtures/tls/', import.meta.url));
const KEYS = fileURLToPath(new URL('../../fixtures/keys/', import.meta.url));
let dir: { path: string; cleanup: () => Promise<void> };
const fronts: Server[] = [];
const platforms: Served[] = [];

/** An https front on localhost for an http server, passing requests and answers through as they are. */
async function httpsFront(port: number, upstream: () => string): Promise<void> {
  const [key, cert] = await Promise.all([readFile(`${TLS}server.key`), readFile(`${TLS}server.pem`)]);
  const front = createServer({ key, cert }, (req, res) => {
    const forward = request(`${upstream()}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(forward);
  });
  await new Promise<void>((r) => front.listen(port, 'localhost', r));
  fronts.push(front);
}

/** serve platform playing `release` at https://localhost:<port>, its tool registered at http://127.0.0.1:<toolPort>. */
async function ownMoodle(release: string, toolPort: number): Promise<string> {
  const port = await freePort();
  const wwwroot = `https://localhost:${port}`;
  let upstream = '';
  await httpsFront(port, () => upstream);
  const served = await startServe(
    [
      'platform',
      '--moodle-version',
      release,
      '--issuer',
      wwwroot,
      '--launch-container',
      'new-window',
      ...registeredToolArgs(toolUrlsFor(`127.0.0.1:${toolPort}`, 'http')),
    ],
    { cwd: dir.path, env: { INSPERA_LTI_KEYS_DIR: KEYS } },
  );
  platforms.push(served);
  upstream = served.info.listening;
  return wwwroot;
}

beforeAll(async () => {
  dir = await tempDir();
});
afterAll(async () => {
  for (const served of platforms) await stopServe(served.child);
  for (const front of fronts) {
    front.closeAllConnections();
    front.close();
  }
  await dir.cleanup();
});

async function repostScenario(wwwroot: string, toolPort: number) {
  const result = await runCli(
    [
      'simulate',
      'launch',
      '--json',
      '--platform-url',
      wwwroot,
      '--client-id',
      'EhdzqulqmXxNDkw',
      '--deployment-id',
      '3',
      '--tool-port',
      String(toolPort),
      '--username',
      'ada',
      '--scenario',
      'tool-sends-repost',
    ],
    {
      cwd: dir.path,
      env: { INSPERA_LTI_KEYS_DIR: KEYS, MOODLE_PASSWORD: 'any', NODE_EXTRA_CA_CERTS: `${TLS}ca.pem` },
    },
  );
  return { result, doc: JSON.parse(result.stdout) };
}

describe("tool-sends-repost against a Moodle of the user's, judged by its own session cookie", () => {
  it('before MDL-83526 over https (SameSite=None for Chrome): not reproduced, and says it does not apply', async () => {
    const toolPort = await freePort();
    const { doc, result } = await repostScenario(await ownMoodle('4.5.6', toolPort), toolPort);
    expect(doc.scenario.reproduced, result.stderr).toBe(false);
    expect(doc.scenario.doesNotApply).toMatch(
      /this Moodle set its session cookie SameSite=None, so it is before MDL-83526 and served over https/,
    );
  });

  it('after MDL-83526 (SameSite=Lax): reproduced', async () => {
    const toolPort = await freePort();
    const { doc, result } = await repostScenario(await ownMoodle('5.2.1', toolPort), toolPort);
    expect(doc.scenario.reproduced, result.stderr).toBe(true);
    expect(doc.scenario.doesNotApply).toBeUndefined();
  });
});
