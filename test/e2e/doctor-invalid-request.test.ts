import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { fixtureKey } from '../helpers/sim.js';
import { startServe, stopServe, type Served } from '../helpers/serve.js';

/**
 * The support desk's ticket in its own words — "Students get 'Invalid request'" — and what doctor makes of it (issue
 * 31, point 3): two families of causes, ranked by what the other inputs show, and the evidence that decides.
 */
const KEYS = fileURLToPath(new URL('../../fixtures/keys/', import.meta.url));
const env = { INSPERA_LTI_KEYS_DIR: KEYS, MOODLE_PASSWORD: 'any' };
let dir: { path: string; cleanup: () => Promise<void> };
let platform: Served;
const run = (args: string[]) => runCli(args, { cwd: dir.path, env });
const causes = (doc: { problems: { cause: string }[] }) => doc.problems.map((p) => p.cause);

beforeAll(async () => {
  dir = await tempDir();
  expect((await run(['init', '--domain', 'university.inspera.com', '--yes'])).code).toBe(0);
  platform = await startServe(['platform'], { cwd: dir.path, env });
  await writeFile(join(dir.path, 'certs.json'), JSON.stringify({ keys: [fixtureKey('platform').jwk] }));
  for (const version of ['5.2.1', '4.5.6', '4.4.10']) {
    const launch = await run(['simulate', 'launch', '--moodle-version', version, '--json']);
    await writeFile(join(dir.path, `${version}.jwt`), JSON.parse(launch.stdout).launch.idToken);
  }
});
afterAll(async () => {
  if (platform) await stopServe(platform.child);
  await dir.cleanup();
});

describe('doctor --error "Invalid request"', () => {
  it('alone: both families, no verdict picks one, and it says what would decide', async () => {
    const result = await run(['doctor', '--error', 'Invalid request', '--json']);
    expect(result.code).toBe(1);
    const doc = JSON.parse(result.stdout);
    expect(causes(doc)).toEqual(['redirect-uri', 'launch-state-lost']);
    expect(doc.verdict).toMatch(/^Not decided: .*Redirection URI.* or .*lost the launch/);
    expect(doc.decide).toMatch(/a HAR of one failing launch \(.*"Preserve log".*"Save all as HAR/);
    expect(doc.decide).toContain('inspera-lti doctor --moodle');
    const human = await run(['doctor', '--error', 'Invalid request']);
    expect(human.stdout).toMatch(/→ What tells these apart: a HAR of one failing launch/);
    expect(human.stdout).not.toMatch(/Verdict: Most likely/);
  });

  it('with a Moodle past MDL-83526 in evidence (its id_token): the lost session ranks first, saying why', async () => {
    const doc = JSON.parse(
      (await run(['doctor', '--error', 'Invalid request', '--token', '5.2.1.jwt', '--keyset', 'certs.json', '--json']))
        .stdout,
    );
    expect(causes(doc).slice(0, 2)).toEqual(['launch-state-lost', 'redirect-uri']);
    expect(doc.verdict).toMatch(/^Most likely: Moodle lost the launch/);
    expect(doc.problems[0].seen.map((s: { seen: string }) => s.seen).join(' ')).toMatch(
      /Moodle 5\.2\.1.*SameSite=Lax \(MDL-83526\)/,
    );
    expect(doc.decide).toContain('HAR');
  });

  it('with a Moodle before MDL-83526 in evidence: still not decided', async () => {
    const doc = JSON.parse(
      (await run(['doctor', '--error', 'Invalid request', '--token', '4.5.6.jwt', '--keyset', 'certs.json', '--json']))
        .stdout,
    );
    expect(doc.verdict).toMatch(/^Not decided/);
  });

  it('with doctor --moodle reading the Redirection URI byte for byte: the redirect_uri is ruled out', async () => {
    const result = await run([
      'doctor',
      '--error',
      'Invalid request',
      '--moodle',
      '--allow-insecure',
      '--moodle-url',
      platform.info.listening as string,
      '--json',
    ]);
    const doc = JSON.parse(result.stdout);
    expect(causes(doc)).toEqual(['launch-state-lost']);
    expect(doc.problems[0].seen.map((s: { seen: string }) => s.seen).join(' ')).toMatch(
      /Moodle holds the Redirection URI\(s\) byte for byte/,
    );
    expect(doc.decide).toBeNull();
    expect(doc.verdict).toMatch(/^Most likely: Moodle lost the launch/);
  });
});

describe('a Moodle past its security support (issue 32, point 5)', () => {
  it('is said beside the version the evidence shows: a note, not a cause', async () => {
    const doc = JSON.parse((await run(['doctor', '--token', '4.4.10.jwt', '--keyset', 'certs.json', '--json'])).stdout);
    expect(doc.moodle).toMatchObject({ release: '4.4.10' });
    expect(doc.moodle.support).toMatch(/^Moodle 4\.4 gets no security fixes since 08 Dec 2025/);
    expect(doc.problems.map((p: { cause: string }) => p.cause)).toEqual([]);
    const human = await run(['doctor', '--token', '4.4.10.jwt', '--keyset', 'certs.json']);
    expect(human.stdout).toMatch(/Moodle 4\.4\.10 \(from .*\) — Moodle 4\.4 gets no security fixes since/);
  });
});

describe('reports meant for a ticket name the troubleshooting entry portably', () => {
  it('JSON, Markdown, HTML: page, anchor and version, no path of this machine; the terminal keeps it', async () => {
    const json = await run(['doctor', '--error', 'Invalid request', '--json']);
    expect(JSON.parse(json.stdout).problems[0].doc).toMatch(/^troubleshooting\.md#redirect-uri in inspera-lti \d/);
    expect(JSON.parse(json.stdout).problems[0].confirm).toBeTruthy();
    const md = await run(['doctor', '--error', 'Invalid request', '--reporter', 'markdown', '--output', 'r.md']);
    expect(md.code).toBe(1);
    const text = await readFile(join(dir.path, 'r.md'), 'utf8');
    expect(text).toMatch(/\(troubleshooting\.md#redirect-uri in inspera-lti \d[^)]*\)/);
    expect(text).toMatch(/- Confirm: /);
    expect(text).not.toContain(fileURLToPath(new URL('../../', import.meta.url)));
    const html = await run(['doctor', '--error', 'Invalid request', '--reporter', 'html', '--output', 'r.html']);
    expect(html.code).toBe(1);
    const page = await readFile(join(dir.path, 'r.html'), 'utf8');
    expect(page).not.toContain(fileURLToPath(new URL('../../', import.meta.url)));
    const human = await run(['doctor', '--error', 'Invalid request']);
    expect(human.stdout).toContain(`${fileURLToPath(new URL('../../docs/troubleshooting.md', import.meta.url))}#`);
  });
});
