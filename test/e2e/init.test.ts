import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectNoStackTrace, runCli, tempDir } from '../helpers/cli.js';

let dir: { path: string; cleanup: () => Promise<void> };
beforeEach(async () => (dir = await tempDir()));
afterEach(async () => dir.cleanup());

const run = (args: string[], env?: NodeJS.ProcessEnv) => runCli(args, { cwd: dir.path, ...(env ? { env } : {}) });

describe('inspera-lti init', () => {
  it("prints the Moodle form values in the form's order and saves the config", async () => {
    const result = await run([
      'init',
      '--domain',
      ' https://University.Inspera.com/ ',
      '--moodle-url',
      'https://moodle.example.edu/',
    ]);
    expect(result.code).toBe(0);
    expectNoStackTrace(result);
    const labels = [
      'Tool name',
      'Tool URL',
      'LTI version',
      'Public key type',
      'Public keyset',
      'Initiate login URL',
      'Redirection URI(s)',
      'Custom parameters',
      'Tool configuration usage',
      'Default launch container',
      'Supports Deep Linking (Content-Item Message)',
      'IMS LTI Assignment and Grade Services',
      'IMS LTI Names and Role Provisioning',
      'Tool Settings',
      "Share launcher's name with tool",
      "Share launcher's email with tool",
      'Accept grades from the tool',
    ];
    const positions = labels.map((label) => result.stdout.indexOf(`  ${label}`));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    // A value too long for 80 columns beside its label, or with a hint, stands alone on the next line (copy-safe).
    expect(result.stdout).toContain('  Tool URL\nhttps://university.inspera.com/ltiprovider/launch\n');
    expect(result.stdout).toContain(
      '  Public keyset\nhttps://university.inspera.com/ICSXapi/metadata/PublicCertificates\n',
    );
    expect(result.stdout).toContain('  Initiate login URL\nhttps://university.inspera.com/ltiprovider/init\n');
    expect(result.stdout).toContain(
      '  Redirection URI(s)  (one per line)\nhttps://university.inspera.com/ltiprovider/launch\n',
    );
    const rows = result.stdout.slice(0, result.stdout.indexOf('What the custom parameters do')).split('\n');
    expect(rows.filter((l) => l.startsWith('  ') && l.length > 80)).toEqual([]);
    expect(result.stdout).toContain('\nenroll_candidates=true\n');
    expect(result.stdout).toContain(
      'What the custom parameters do\n  enroll_candidates: enrol every course member with the Learner role',
    );
    expect(result.stdout).toContain(
      '  IMS LTI Assignment and Grade Services\nUse this service for grade sync and column management\n',
    );
    expect(result.stdout).toMatch(/Tool Settings +Do not use this service\n/);
    // Copy-paste safe: no line ends in whitespace; no colour without a TTY.
    expect(result.stdout.split('\n').filter((l) => /\s$/.test(l))).toEqual([]);
    expect(result.stdout).not.toContain('\u001b[');
    expect(result.stderr).toContain('saved inspera-lti.yaml');

    const saved = await readFile(join(dir.path, 'inspera-lti.yaml'), 'utf8');
    expect(saved).toContain('domain: university.inspera.com');
    expect(saved).toContain('platformId: https://moodle.example.edu\n');
    expect(saved).toContain('publicKeysetUrl: https://moodle.example.edu/mod/lti/certs.php');
  });

  it('--json gives the same as data, one document', async () => {
    const result = await run([
      'init',
      '--domain',
      'uni.inspera.com',
      '--json',
      '--dry-run',
      '--custom',
      'enroll_candidates=true',
    ]);
    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout);
    expect(document.ok).toBe(true);
    expect(document.tool.urls.redirectUrls).toEqual(['https://uni.inspera.com/ltiprovider/launch']);
    expect(document.moodleForm.fields.find((f: { label: string }) => f.label === 'Custom parameters').value).toBe(
      'enroll_candidates=true',
    );
    expect(document.config).toBeNull();
  });

  it('warns and drops a pasted path; warns about misspelt custom parameters', async () => {
    const result = await run([
      'init',
      '--domain',
      'uni.inspera.com/ltiprovider/launch',
      '--custom',
      'enrol_candidates=true',
      '--dry-run',
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('dropped "/ltiprovider/launch"');
    expect(result.stderr).toContain('did you mean "enroll_candidates"');
  });

  it('takes the domain from INSPERA_LTI_DOMAIN; the flag wins over it', async () => {
    const fromEnv = await run(['init', '--dry-run', '--json'], { INSPERA_LTI_DOMAIN: 'env.inspera.com' });
    expect(JSON.parse(fromEnv.stdout).tool.domain).toBe('env.inspera.com');
    const flagWins = await run(['init', '--domain', 'flag.inspera.com', '--dry-run', '--json'], {
      INSPERA_LTI_DOMAIN: 'env.inspera.com',
    });
    expect(JSON.parse(flagWins.stdout).tool.domain).toBe('flag.inspera.com');
  });

  it.each([
    [['--domain', 'uni inspera.com'], 'contains whitespace'],
    [['--domain', 'inspera'], 'has no dot'],
    [['--domain', '192.168.1.10'], 'is an IP address'],
    [['--domain', 'localhost'], 'is localhost'],
    [['--domain', 'http://uni.inspera.com'], 'uses http://'],
    [['--domain', 'ftp://uni.inspera.com'], 'scheme "ftp://"'],
    [['--domain', 'uni.inspera.com', '--moodle-url', 'http://moodle.example.edu'], 'uses http:'],
    [['--domain', 'uni.inspera.com', '--custom', 'enroll_candidates'], 'not a name=value pair'],
    [[], 'missing --domain (not prompting: CI is set)'],
  ])('rejects %j with one line and exit 2', async (args, message) => {
    const result = await run(['init', ...args]);
    expect(result.code).toBe(2);
    expectNoStackTrace(result);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('allows a local http test tool with --allow-insecure', async () => {
    const result = await run(['init', '--domain', 'http://127.0.0.1:8080', '--allow-insecure', '--json', '--dry-run']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).tool.urls.loginInitUrl).toBe('http://127.0.0.1:8080/ltiprovider/init');
  });

  it('never silently replaces a different config; --force keeps a .bak', async () => {
    await writeFile(join(dir.path, 'inspera-lti.yaml'), 'tool:\n  domain: old.inspera.com\n');
    const refused = await run(['init', '--domain', 'new.inspera.com']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('already exists with different content');
    expect(await readFile(join(dir.path, 'inspera-lti.yaml'), 'utf8')).toContain('old.inspera.com');

    const forced = await run(['init', '--domain', 'new.inspera.com', '--force']);
    expect(forced.code).toBe(0);
    expect(await readFile(join(dir.path, 'inspera-lti.yaml'), 'utf8')).toContain('new.inspera.com');
    expect(await readFile(join(dir.path, 'inspera-lti.yaml.bak'), 'utf8')).toContain('old.inspera.com');

    const again = await run(['init', '--domain', 'new.inspera.com']);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('already up to date');
  });

  it('writes where --config says', async () => {
    const result = await run(['--config', 'sub.yaml', 'init', '--domain', 'uni.inspera.com']);
    expect(result.code).toBe(0);
    expect(await readFile(join(dir.path, 'sub.yaml'), 'utf8')).toContain('uni.inspera.com');
  });
});

describe('the CLI face', () => {
  it('without a command shows the help on stderr, exit 2', async () => {
    const result = await run([]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage: inspera-lti');
    expect(result.stdout).toBe('');
  });

  it('suggests the command meant on a typo, exit 2', async () => {
    const result = await run(['innit']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Did you mean init?');
  });

  it('suggests the option meant on a typo, exit 2', async () => {
    const result = await run(['init', '--domian', 'x']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--domain');
  });

  it('rejects a launch container Moodle does not have', async () => {
    const result = await run(['init', '--domain', 'uni.inspera.com', '--launch-container', 'popup']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('new-window');
  });

  it.each([
    'init',
    'record',
    'export',
    'simulate',
    'simulate launch',
    'simulate grade',
    'serve',
    'serve platform',
    'serve tool',
    'validate',
    'doctor',
    'roles',
    'demo',
  ])('%s --help shows examples', async (command) => {
    const result = await run([...command.split(' '), '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Examples:');
    expect(result.stdout).toContain(`$ inspera-lti ${command.split(' ')[0]}`);
  });

  it('prints the version', async () => {
    const result = await run(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('colours only when asked and never with NO_COLOR', async () => {
    const forced = await run(['init', '--domain', 'uni.inspera.com', '--dry-run'], { FORCE_COLOR: '1' });
    expect(forced.stdout).toContain('\u001b[');
    const noColor = await run(['init', '--domain', 'uni.inspera.com', '--dry-run'], {
      FORCE_COLOR: '1',
      NO_COLOR: '1',
    });
    expect(noColor.stdout).not.toContain('\u001b[');
    const flag = await run(['--no-color', 'init', '--domain', 'uni.inspera.com', '--dry-run'], { FORCE_COLOR: '1' });
    expect(flag.stdout).not.toContain('\u001b[');
  });
});
