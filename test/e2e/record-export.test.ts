import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectNoStackTrace, runCli, tempDir } from '../helpers/cli.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/moodle/', import.meta.url));
let dir: { path: string; cleanup: () => Promise<void> };
beforeEach(async () => (dir = await tempDir()));
afterEach(async () => dir.cleanup());

const run = (args: string[], input?: string, env?: NodeJS.ProcessEnv) =>
  runCli(args, { cwd: dir.path, ...(input !== undefined ? { input } : {}), ...(env ? { env } : {}) });
const GOOD = ['--platform-id', 'https://moodle.example.edu', '--client-id', 'EhdzqulqmXxNDkw', '--deployment-id', '3'];
const configText = () => readFile(join(dir.path, 'inspera-lti.yaml'), 'utf8');

describe('inspera-lti record', () => {
  it('records from flags, deriving the three URLs from the Platform ID', async () => {
    await run(['init', '--domain', 'uni.inspera.com']);
    const result = await run(['record', ...GOOD]);
    expect(result.code).toBe(0);
    expectNoStackTrace(result);
    expect(result.stdout).toContain('✔ Access token URL:');
    expect(result.stdout).toContain('https://moodle.example.edu/mod/lti/token.php');
    const text = await configText();
    expect(text).toContain('clientId: EhdzqulqmXxNDkw');
    expect(text).toContain('authRequestUrl: https://moodle.example.edu/mod/lti/auth.php');
    expect(text).toContain('domain: uni.inspera.com'); // the tool side from init is kept
    expect(await readFile(join(dir.path, 'inspera-lti.yaml.bak'), 'utf8')).not.toContain('clientId');
  });

  it('records the dialog text from stdin and from --from-file (tabs, CRLF, any order)', async () => {
    const piped = await run(['record', '--json'], await readFile(join(FIXTURES, 'tool-details.txt'), 'utf8'));
    expect(piped.code).toBe(0);
    expect(JSON.parse(piped.stdout).platform.clientId).toBe('EhdzqulqmXxNDkw');
    const fromFile = await run([
      'record',
      '--json',
      '--dry-run',
      '--from-file',
      join(FIXTURES, 'tool-details-tabs-crlf.txt'),
    ]);
    expect(fromFile.code).toBe(0);
    expect(JSON.parse(fromFile.stdout).platform).toMatchObject({
      deploymentId: '3',
      accessTokenUrl: 'https://moodle.example.edu/mod/lti/token.php',
    });
  });

  it.each([
    [['--platform-id', 'https://moodle.example.edu/'], 'ends with "/"'],
    [['--platform-id', 'http://moodle.example.edu'], 'uses http://'],
    [['--client-id', 'EhdzqulqmXxNDkw '], 'spaces or tabs before or after'],
    [['--client-id', 'https://moodle.example.edu'], 'looks swapped'],
    [
      ['--keyset-url', 'https://cdn.example.edu/mod/lti/certs.php'],
      'is on cdn.example.edu but the Platform ID is on moodle.example.edu',
    ],
    [['--token-url', 'https://moodle.example.edu/mod/lti/auth.php'], 'the two look swapped'],
    [['--auth-url', 'https://moodle.example.edu/auth.php'], 'does not end with /mod/lti/auth.php'],
  ])('rejects %j: exit 2, names the problem, saves nothing', async (change, message) => {
    const args = [...GOOD];
    for (let i = 0; i < change.length; i += 2) {
      const at = args.indexOf(change[i]!);
      if (at >= 0) args[at + 1] = change[i + 1]!;
      else args.push(change[i]!, change[i + 1]!);
    }
    const result = await run(['record', ...args]);
    expect(result.code).toBe(2);
    expectNoStackTrace(result);
    expect(result.stdout).toContain(message);
    expect(result.stdout).toContain('→ fix');
    expect(result.stderr).toContain('nothing was saved');
    await expect(stat(join(dir.path, 'inspera-lti.yaml'))).rejects.toThrow();
  });

  it('offers copy damage (spaces, a trailing slash) as a fix: shown, applied with --fix, never silently', async () => {
    await run(['init', '--domain', 'uni.inspera.com']);
    const damaged = [
      '--platform-id',
      ' https://moodle.example.edu/ ',
      '--client-id',
      'EhdzqulqmXxNDkw\t',
      '--deployment-id',
      '3',
    ];
    const offered = await run(['record', ...damaged]);
    expect(offered.code).toBe(2);
    expect(offered.stdout).toContain('Only copy damage — the corrected values:');
    expect(offered.stdout).toMatch(
      /Platform ID: https:\/\/moodle\.example\.edu \(was .*spaces around it, a trailing slash\)/,
    );
    expect(offered.stderr).toContain('2 values are wrong — nothing was saved; run record again with --fix');
    expect(await configText()).not.toContain('clientId');

    const applied = await run(['record', ...damaged, '--fix', '--json']);
    expect(applied.code).toBe(0);
    const doc = JSON.parse(applied.stdout);
    expect(doc.repairs.map((r: { key: string }) => r.key)).toEqual(['platformId', 'clientId']);
    const text = await configText();
    expect(text).toContain('platformId: https://moodle.example.edu\n');
    expect(text).toContain('clientId: EhdzqulqmXxNDkw\n');
  });

  it('URLs pasted with a trailing slash are mended with it; a real mistake is counted once, not per URL', async () => {
    await run(['init', '--domain', 'uni.inspera.com']);
    const pasted = [
      'Platform ID\thttps://moodle.example.edu/',
      'Client ID\tEhdzqulqmXxNDkw',
      'Deployment ID\t3',
      'Public keyset URL\thttps://moodle.example.edu//mod/lti/certs.php',
      'Access token URL\thttps://moodle.example.edu//mod/lti/token.php',
      'Authentication request URL\thttps://moodle.example.edu//mod/lti/auth.php',
    ].join('\n');
    const fixed = await run(['record', '--fix'], pasted);
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(await configText()).toContain('publicKeysetUrl: https://moodle.example.edu/mod/lti/certs.php\n');
    // http is no copy damage: Moodle's real address is https. Its three URLs are the same one mistake.
    const http = await run(['record', '--fix', '--platform-id', 'http://moodle.example.edu', ...GOOD.slice(2)]);
    expect(http.code).toBe(2);
    expect(http.stdout).not.toContain('Only copy damage');
    expect(http.stderr).toContain('1 value is wrong — nothing was saved; fix it and run record again');
  });

  it('warns about an odd client id or deployment id but saves', async () => {
    const result = await run([
      'record',
      '--platform-id',
      'https://moodle.example.edu',
      '--client-id',
      'abc123',
      '--deployment-id',
      'x7',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('! Client ID:');
    expect(result.stdout).toContain('does not look like a Moodle client id');
    expect(result.stdout).toContain('is not a number');
    expect(await configText()).toContain('clientId: abc123');
  });

  it('reports the whole problem list as JSON', async () => {
    const result = await run([
      'record',
      '--json',
      '--platform-id',
      'https://moodle.example.edu/',
      '--client-id',
      'EhdzqulqmXxNDkw',
      '--deployment-id',
      '3',
    ]);
    expect(result.code).toBe(2);
    const document = JSON.parse(result.stdout);
    expect(document.ok).toBe(false);
    expect(document.findings[0]).toMatchObject({
      id: 'platform.platformId.trailing-slash',
      status: 'fail',
      fix: { value: 'https://moodle.example.edu' },
    });
  });

  it('names the missing input when nothing is given and it cannot prompt', async () => {
    const nothing = await run(['record']);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('no Tool configuration details given');
    const partial = await run(['record', '--platform-id', 'https://moodle.example.edu']);
    expect(partial.code).toBe(2);
    expect(partial.stderr).toContain('missing Client ID, Deployment ID — pass --client-id, --deployment-id');
  });

  it.each([
    ['--from-file', 'nope.txt', 'no such file'],
    ['--from-file', '.', 'is a directory'],
  ])('%s %s: one clear line', async (flag, value, message) => {
    const result = await run(['record', flag, value]);
    expect(result.code).toBe(2);
    expectNoStackTrace(result);
    expect(result.stderr).toContain(message);
  });

  it('says what is wrong with text that holds no details', async () => {
    const result = await run(['record'], 'just some text\nnothing here\n');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('standard input: no Tool configuration details found');
  });

  it('reports a broken config file with its line, no stack trace', async () => {
    await writeFile(join(dir.path, 'inspera-lti.yaml'), 'tool: [unclosed\n');
    const result = await run(['record', ...GOOD]);
    expect(result.code).toBe(2);
    expectNoStackTrace(result);
    expect(result.stderr).toMatch(/inspera-lti\.yaml line \d+, column \d+/);
  });
});

describe('inspera-lti export', () => {
  it('refuses without a config, naming how to make one', async () => {
    const result = await run(['export']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('inspera-lti init --domain');
  });

  it("writes the six values first under Moodle's labels, with a header, and round-trips", async () => {
    await run(['init', '--domain', 'uni.inspera.com', '--launch-container', 'embed']);
    await run(['record', ...GOOD]);
    const yaml = await run(['export']);
    expect(yaml.code).toBe(0);
    expect(yaml.stdout).toMatch(/^# inspera-lti hand-off sheet/);
    expect(yaml.stdout).toMatch(/# Made \d{4}-\d\d-\d\dT/);
    const body = yaml.stdout.split('\n').filter((l) => !l.startsWith('#') && l !== '');
    expect(body.slice(0, 7)).toEqual([
      'Tool configuration details:',
      '  Platform ID: https://moodle.example.edu',
      '  Client ID: EhdzqulqmXxNDkw',
      '  Deployment ID: "3"',
      '  Public keyset URL: https://moodle.example.edu/mod/lti/certs.php',
      '  Access token URL: https://moodle.example.edu/mod/lti/token.php',
      '  Authentication request URL: https://moodle.example.edu/mod/lti/auth.php',
    ]);
    expect(yaml.stdout).toContain('loginInitUrl: https://uni.inspera.com/ltiprovider/init');

    await writeFile(join(dir.path, 'exported.yaml'), yaml.stdout);
    const again = await run(['--config', 'exported.yaml', 'export', '--format', 'json']);
    const original = await run(['export', '--format', 'json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual(JSON.parse(original.stdout));
    // --json like every reporting command: the sheet as JSON on stdout, or where --output wrote it.
    const json = await run(['export', '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(JSON.parse(original.stdout));
    const written = await run(['export', '--json', '--output', 'handoff.yaml']);
    expect(JSON.parse(written.stdout)).toMatchObject({ ok: true, format: 'yaml', outcome: 'created' });
    const both = await run(['export', '--json', '--format', 'yaml']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--json prints JSON on stdout; --format yaml asks for YAML there/);
    const initAgain = await run([
      '--config',
      'exported.yaml',
      'init',
      '--domain',
      'uni.inspera.com',
      '--launch-container',
      'embed',
      '--json',
      '--dry-run',
    ]);
    expect(JSON.parse(initAgain.stdout).tool.urls).toEqual(JSON.parse(original.stdout).tool.urls);
  });

  it("refuses a sheet without an Inspera tenant (only Moodle's values and defaults), naming init", async () => {
    const bare = await tempDir();
    try {
      const recordOnly = (args: string[]) => runCli(args, { cwd: bare.path });
      const recorded = await recordOnly([
        'record',
        '--platform-id',
        'https://moodle.example.edu',
        '--client-id',
        'EhdzqulqmXxNDkw',
        '--deployment-id',
        '3',
      ]);
      expect(recorded.code).toBe(0);
      const sheet = await recordOnly(['export']);
      expect(sheet.code).toBe(2);
      expect(sheet.stdout).toBe('');
      expect(sheet.stderr.trim().split('\n')).toHaveLength(1);
      expect(sheet.stderr).toMatch(/inspera-lti\.yaml names no Inspera tenant.*inspera-lti init --domain <tenant>/);
      expectNoStackTrace(sheet);
    } finally {
      await bare.cleanup();
    }
  });

  it('leaves private keys out unless --include-secrets; writes files only when allowed', async () => {
    const pem = '-----BEGIN PRIVATE KEY-----\nMIIEfake\n-----END PRIVATE KEY-----\n';
    await writeFile(join(dir.path, 'tool.pem'), pem, { mode: 0o600 });
    await writeFile(
      join(dir.path, 'inspera-lti.yaml'),
      `tool:\n  domain: uni.inspera.com\nkeys:\n  tool:\n ` +
        `   privateKeyFile: tool.pem\n  platform:\n  ` +
        `  privateKeyPem: |\n      -----BEGIN PRIVATE ` +
        `KEY-----\n      MIIEinline\n      -----END PRIVATE ` +
        `KEY-----\n`,
    );
    const redacted = await run(['export']);
    expect(redacted.code).toBe(0);
    expect(redacted.stdout).not.toContain('BEGIN PRIVATE KEY');
    expect(redacted.stdout).toContain('left out: private key');
    // No local paths on a sheet that leaves the machine: the config by its name, a key file not at all.
    expect(redacted.stdout).not.toContain(dir.path);
    expect(redacted.stdout).not.toContain('tool.pem');
    expect(redacted.stdout).toMatch(/# Made \S+ by inspera-lti \S+ from inspera-lti\.yaml\./);

    const withSecrets = await run(['export', '--include-secrets', '--output', 'secret.yaml']);
    expect(withSecrets.code).toBe(0);
    const secret = await readFile(join(dir.path, 'secret.yaml'), 'utf8');
    expect(secret).toContain('MIIEfake');
    expect(secret).toContain('MIIEinline');
    expect((await stat(join(dir.path, 'secret.yaml'))).mode & 0o777).toBe(0o600);

    const refused = await run(['export', '--output', 'secret.yaml']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('already exists');
    expect(await readFile(join(dir.path, 'secret.yaml'), 'utf8')).toBe(secret);
  });
});
