import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoStackTrace, initAndRecord, runCli, tempDir } from '../helpers/cli.js';
import { fixtureKey } from '../helpers/sim.js';

/**
 * "Healthy" only when something was checked and passed; what could not be checked is said (issue: doctor tells the
 * truth).
 */
const KEYS = fileURLToPath(new URL('../../fixtures/keys/', import.meta.url));
let work: { path: string; cleanup: () => Promise<void> };
let bare: { path: string; cleanup: () => Promise<void> };
let idToken: string;
const run = (cwd: string, args: string[]) => runCli(args, { cwd, env: { INSPERA_LTI_KEYS_DIR: KEYS } });

beforeAll(async () => {
  work = await tempDir();
  bare = await tempDir();
  await initAndRecord((args) => run(work.path, args));
  // A token signed with the fixture platform key (the keys dir above), kept in a folder with no config; its launch's
  // capture.
  idToken = JSON.parse((await run(work.path, ['simulate', 'launch', '--json', '--har', 'good.har'])).stdout).launch
    .idToken;
  await writeFile(join(bare.path, 't.jwt'), idToken);
  await writeFile(join(bare.path, 'certs.json'), JSON.stringify({ keys: [fixtureKey('platform').jwk] }));
  await writeFile(
    join(bare.path, 'other.json'),
    JSON.stringify({ keys: [{ ...fixtureKey('other').jwk, kid: fixtureKey('platform').kid }] }),
  );
});
afterAll(async () => {
  await work.cleanup();
  await bare.cleanup();
});

describe('doctor says "healthy" only when something was checked and passed', () => {
  it('an error message it does not know is not health: exit 1, and it says nothing could be checked', async () => {
    const result = await run(bare.path, ['doctor', '--error', 'something totally unrelated', '--json']);
    expect(result.code).toBe(1);
    const doc = JSON.parse(result.stdout);
    expect(doc.ok).toBe(false);
    expect(doc.verdict).toMatch(/^Nothing could be diagnosed/);
    expect(doc.unchecked.join(' ')).toMatch(/matched no known Moodle or LTI library message/);
    const human = await run(bare.path, ['doctor', '--error', 'something totally unrelated']);
    expect(human.stdout).not.toMatch(/healthy/i);
  });

  it(
    'a token and a keyset file without a config: the signature is ' + 'checked against that file, named as such',
    async () => {
      const good = await run(bare.path, ['doctor', '--token', 't.jwt', '--keyset', 'certs.json', '--json']);
      const doc = JSON.parse(good.stdout);
      expect(doc.passed.find((p: { id: string }) => p.id === 'token.jwt.signature')?.status).toBe('pass');
      expect(doc.passed.find((p: { id: string }) => p.id === 'token.jwks.fetch')?.finding).toBe(
        '1 key in the file certs.json',
      );
      expect(JSON.stringify(doc)).not.toContain('certs.php');
      expect(doc.unchecked.join(' ')).toMatch(
        /iss, aud and deployment_id against the recorded values: there is no config/,
      );
      expect(good.code).toBe(0);
      // The same token against a keyset whose key (same kid) is not Moodle's: the signature fails.
      const forged = await run(bare.path, ['doctor', '--token', 't.jwt', '--keyset', 'other.json', '--json']);
      expect(forged.code).toBe(1);
      expect(JSON.parse(forged.stdout).problems[0].cause).toBe('platform-keyset');
      // Without any keyset the signature is reported as not checked, not passed.
      const none = JSON.parse((await run(bare.path, ['doctor', '--token', 't.jwt', '--json'])).stdout);
      expect(none.unchecked.join(' ')).toMatch(/signature: no platform keyset/);
    },
  );

  it('a keyset file that is not a JWKS is unusable input: one line, exit 2', async () => {
    await writeFile(join(bare.path, 'not-jwks.json'), '{"hello": "world"}');
    await writeFile(join(bare.path, 'empty-jwks.json'), '{"keys": []}');
    for (const [file, why] of [
      ['not-jwks.json', 'it is not a JWKS \\(no "keys" array\\)'],
      ['empty-jwks.json', 'its "keys" array is empty'],
    ] as const) {
      const result = await run(bare.path, ['doctor', '--token', 't.jwt', '--keyset', file]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(new RegExp(`^inspera-lti: --keyset ${file.replace('.', '\\.')}: ${why} — `));
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expectNoStackTrace(result);
    }
  });

  it('a capture whose id_token does not decode is not a healthy launch', async () => {
    const har = JSON.parse(await readFile(join(work.path, 'good.har'), 'utf8')) as {
      log: {
        entries: Array<{ request: { postData?: { text?: string; params?: Array<{ name: string; value: string }> } } }>;
      };
    };
    const broken = `${idToken.split('.')[0]}.${Buffer.from('{"iss":').toString('base64url')}.c2ln`;
    for (const entry of har.log.entries) {
      const post = entry.request.postData;
      if (post?.text?.includes('id_token=')) post.text = post.text.replace(/id_token=[^&]*/, `id_token=${broken}`);
      for (const param of post?.params ?? []) if (param.name === 'id_token') param.value = broken;
    }
    const text = JSON.stringify(har).replaceAll(idToken, broken);
    await writeFile(join(work.path, 'broken.har'), text);
    const result = await run(work.path, ['doctor', '--har', 'broken.har', '--json']);
    const doc = JSON.parse(result.stdout);
    expect(doc.passed.map((p: { title: string }) => p.title)).not.toContain('Moodle issued an id_token');
    expect(doc.unchecked.join(' ')).toMatch(
      /capture's id_token: it .*so none of its claims or its signature could be checked/,
    );
    expect(doc.verdict).not.toMatch(/healthy/i);
    expect(result.code).toBe(1);
  });
});

describe('fixes carry the values the config knows, and point at the troubleshooting catalogue', () => {
  it('the Redirection URI and the keyset URL are the real ones, not templates', async () => {
    const redirect = JSON.parse((await run(work.path, ['doctor', '--error', 'Invalid request', '--json'])).stdout);
    const first = redirect.problems.find((p: { cause: string }) => p.cause === 'redirect-uri');
    expect(first.fix.value).toBe('https://university.inspera.com/ltiprovider/launch');
    // JSON goes into tickets: the entry named portably. The terminal names the installed package's own file,
    // whatever the working directory (a global install is far from it).
    const installed = fileURLToPath(new URL('../../docs/troubleshooting.md', import.meta.url));
    expect(first.doc).toMatch(/^troubleshooting\.md#redirect-uri in inspera-lti \d/);
    expect(existsSync(installed)).toBe(true);
    const keyset = JSON.parse(
      (await run(work.path, ['doctor', '--error', 'Unable to find public key', '--json'])).stdout,
    );
    expect(keyset.problems[0].fix.value).toBe('https://moodle.example.edu/mod/lti/certs.php');
    const human = await run(work.path, ['doctor', '--error', 'Invalid request']);
    expect(human.stdout).not.toMatch(/\{domain\}|\{Platform ID\}|\[F\.\d+\]|\[E\.\d+\]/);
    expect(human.stdout).toContain(`[${installed}#redirect-uri]`);
  });
});

describe('one rule for warnings, in doctor as in validate', () => {
  it('warnings alone do not fail: exit 0, and the verdict says what they cost', async () => {
    const config = (await readFile(join(work.path, 'inspera-lti.yaml'), 'utf8')).replace(
      'shareName: always',
      'shareName: never',
    );
    const file = join(bare.path, 'privacy-never.yaml');
    await writeFile(file, config);
    const result = await run(bare.path, ['--config', file, 'doctor', '--json']);
    const doc = JSON.parse(result.stdout);
    expect(doc.problems.map((p: { severity: string }) => p.severity)).toEqual(['warn']);
    expect(doc.verdict).toMatch(/^No blocking problem; 1 thing will cost Inspera features/);
    expect(result.code).toBe(0);
  });
});
