import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { freePort } from '../helpers/harness.js';
import { asToolArgs, registeredToolArgs, startServe, stopServe, type Served } from '../helpers/serve.js';
import { toolUrlsFor } from '../../src/inspera/urls.js';
import { fileURLToPath } from 'node:url';

/**
 * Whether the Authorization header reaches Moodle's PHP (issue 32, point 2), against serve platform as a site whose
 * web server passes it and one that strips it (--strip-authorization).
 */
const KEYS = fileURLToPath(new URL('../../fixtures/keys/', import.meta.url));
const env = { INSPERA_LTI_KEYS_DIR: KEYS, MOODLE_PASSWORD: 'any' };
let dir: { path: string; cleanup: () => Promise<void> };
let passing: Served;
let stripping: Served;
const run = (args: string[]) => runCli(args, { cwd: dir.path, env });
const probe = async (served: Served) => {
  const doc = JSON.parse(
    (
      await run([
        'validate',
        '--only',
        'platform',
        '--platform-id',
        served.info.listening as string,
        '--client-id',
        'EhdzqulqmXxNDkw',
        '--allow-insecure',
        '--json',
      ])
    ).stdout,
  );
  return doc.results.find((r: { id: string }) => r.id === 'platform.authorization');
};

beforeAll(async () => {
  dir = await tempDir();
  passing = await startServe(['platform'], { cwd: dir.path, env });
  stripping = await startServe(['platform', '--strip-authorization'], { cwd: dir.path, env });
});
afterAll(async () => {
  for (const served of [passing, stripping]) if (served) await stopServe(served.child);
  await dir.cleanup();
});

describe('validate: the Authorization header reaches Moodle', () => {
  it('passes where the web server passes it', async () => {
    const check = await probe(passing);
    expect(check).toMatchObject({ status: 'pass' });
    expect(check.finding).toContain('saw the header');
  });

  it('fails where it is stripped, naming the web server setting to change', async () => {
    const check = await probe(stripping);
    expect(check).toMatchObject({ status: 'fail', cause: { id: 'authorization-stripped' } });
    expect(check.fix).toMatchObject({ system: 'Moodle', field: 'Authorization header' });
    expect(check.fix.action).toContain('CGIPassAuth On');
  });
});

describe('a grade post where the header is stripped', () => {
  it('is a 401 on a token token.php just granted: the verdict names the web server, not an expiry', async () => {
    const port = await freePort();
    const platform = await startServe(
      ['platform', '--strip-authorization', ...registeredToolArgs(toolUrlsFor(`127.0.0.1:${port}`, 'http'))],
      { cwd: dir.path, env },
    );
    try {
      const grade = await run([
        'simulate',
        'grade',
        '--json',
        ...asToolArgs(platform.info.toolConfigurationDetails, port),
        '--username',
        'ada',
      ]);
      const doc = JSON.parse(grade.stdout);
      expect(grade.code).toBe(1);
      expect(doc.grade.token.status).toBe(200);
      expect(doc.grade.scores[0].status).toBe(401);
      expect(doc.grade.verdict).toMatch(/most likely Moodle never saw the Authorization header/);
      expect(doc.grade.verdict).toContain('CGIPassAuth On');
    } finally {
      await stopServe(platform.child);
    }
  });
});
