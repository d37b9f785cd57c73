import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { startPair, stopServe, type Served } from '../helpers/serve.js';

/**
 * The support desk's probes against the embedded pair in each state (issue 32): `serve tool` playing Inspera without
 * this Moodle, sending repost, or setting its state cookie otherwise; `validate` and `doctor --live` as support runs
 * them, with only the recorded values.
 */
const KEYS = fileURLToPath(new URL('../../fixtures/keys/', import.meta.url));
const env = { INSPERA_LTI_KEYS_DIR: KEYS };
let served: Served[] = [];
afterEach(async () => {
  await Promise.all(served.map((s) => stopServe(s.child)));
  served = [];
});

async function pairAndConfig(toolArgs: string[] = [], platformArgs: string[] = []) {
  const dir = await tempDir();
  const { tool, platform } = await startPair({ env, toolArgs, platformArgs });
  served.push(tool, platform);
  const run = (args: string[]) => runCli(args, { cwd: dir.path, env });
  const moodle = platform.info.listening as string;
  const tenant = `http://${new URL(tool.info.listening).host}`;
  // What init and record write for this pair (both are tested on their own).
  await writeFile(
    join(dir.path, 'inspera-lti.yaml'),
    [
      'allowInsecure: true',
      `tool: { domain: "${new URL(tenant).host}", scheme: http }`,
      `platform: { platformId: "${moodle}", clientId: EhdzqulqmXxNDkw, deploymentId: "3" }`,
      '',
    ].join('\n'),
  );
  const validate = async () => {
    const result = await run(['validate', '--json', '--only', 'tool']);
    const doc = JSON.parse(result.stdout) as { results: Array<{ id: string; status: string; finding: string }> };
    return { code: result.code, byId: Object.fromEntries(doc.results.map((r) => [r.id, r])) };
  };
  return { dir, run, validate };
}

describe('the probes against serve tool in each state', () => {
  it('a healthy pair: registered, a GET, SameSite=None; Secure — doctor --live stays healthy', async () => {
    const { dir, run, validate } = await pairAndConfig();
    const { code, byId } = await validate();
    expect(code).toBe(0);
    for (const id of ['tool.registration', 'tool.repost', 'tool.state-cookie', 'tool.local-network'])
      expect(byId[id]!.status, `${id}: ${byId[id]!.finding}`).toBe('pass');
    const doctor = await run(['doctor', '--live', '--json']);
    const diagnosis = JSON.parse(doctor.stdout);
    expect(diagnosis.problems.filter((p: { severity: string }) => p.severity === 'fail')).toEqual([]);
    expect(diagnosis.ok).toBe(true);
    await dir.cleanup();
  });

  it('Inspera without this Moodle: "holds no registration", fixed at Inspera with the three values', async () => {
    const { dir, run } = await pairAndConfig(['--scenario', 'tool-no-registration']);
    const doctor = await run(['doctor', '--live', '--json']);
    const diagnosis = JSON.parse(doctor.stdout);
    expect(doctor.code).toBe(1);
    expect(diagnosis.problems[0]).toMatchObject({
      cause: 'tool-registration',
      fix: { system: 'Inspera', field: 'Platform ID, Client ID and Deployment ID' },
    });
    expect(diagnosis.problems[0].fix.value).toMatch(
      /^Platform ID http:\/\/127\.0\.0\.1:\d+, Client ID EhdzqulqmXxNDkw/,
    );
    await dir.cleanup();
  });

  it('repost: a failure against 5.2.1 (after MDL-83526), a warning against 4.5.6', async () => {
    const after = await pairAndConfig(['--scenario', 'tool-sends-repost'], ['--moodle-version', '5.2.1']);
    expect((await after.validate()).byId['tool.repost']).toMatchObject({ status: 'fail' });
    await after.dir.cleanup();
    const before = await pairAndConfig(['--scenario', 'tool-sends-repost'], ['--moodle-version', '4.5.6']);
    const repost = (await before.validate()).byId['tool.repost']!;
    expect(repost.status).toBe('warn');
    expect(repost.finding).toMatch(/works on Moodle 4\.5\.6, and every launch will fail once the site updates/);
    await before.dir.cleanup();
  });

  // The other variants (no SameSite, None without Secure) on the engine: test/checks/login-probe.test.ts.
  it.each([
    ['SameSite=Lax', 'fail', /SameSite=Lax: it stays behind/],
    ['SameSite=None; Secure; Partitioned', 'pass', /goes back with Moodle's cross-site POST/],
  ])('a state cookie set %j: %s', async (attributes, status, words) => {
    const { dir, validate } = await pairAndConfig(['--state-cookie', attributes]);
    const cookie = (await validate()).byId['tool.state-cookie']!;
    expect(cookie.status).toBe(status);
    expect(cookie.finding).toMatch(words);
    await dir.cleanup();
  });
});
