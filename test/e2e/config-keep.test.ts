import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

/** What an administrator recorded is never lost: every write changes what it was asked to and keeps the rest. */
let dir: { path: string; cleanup: () => Promise<void> };
const run = (args: string[]) => runCli(args, { cwd: dir.path });
const config = () => readFile(join(dir.path, 'inspera-lti.yaml'), 'utf8');
const SIX = ['--platform-id', 'https://moodle.example.edu', '--client-id', 'EhdzqulqmXxNDkw', '--deployment-id', '3'];

beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => dir.cleanup());

describe('config writes keep what they did not change', () => {
  it('init --force after record keeps the six values, checks.skip and tool.templates — twice over', async () => {
    await run(['init', '--domain', 'university.inspera.com', '--yes']);
    expect((await run(['record', ...SIX])).code).toBe(0);
    const edited =
      (await config()).replace('tool:\n', 'tool:\n  templates:\n    keysetUrl: https://{domain}/custom/jwks\n') +
      'checks:\n  skip: [tool.login-init]\n';
    await writeFile(join(dir.path, 'inspera-lti.yaml'), `# kept: our note about this tenant\n${edited}`);
    for (const domain of ['second.inspera.com', 'third.inspera.com']) {
      const result = await run(['init', '--domain', domain, '--yes', '--force']);
      expect(result.code, result.stderr).toBe(0);
      // The checklist uses the config's template, as export does.
      expect(result.stdout).toContain(`https://${domain}/custom/jwks`);
    }
    const after = await config();
    expect(after).toContain('domain: third.inspera.com');
    expect(after).toContain('clientId: EhdzqulqmXxNDkw');
    expect(after).toContain('deploymentId: "3"');
    expect(after).toMatch(/skip: \[ ?tool\.login-init ?\]/);
    expect(after).toContain('keysetUrl: https://{domain}/custom/jwks');
    expect(after).toContain('# kept: our note about this tenant');
    const exported = await run(['export']);
    expect(exported.stdout).toContain('https://third.inspera.com/custom/jwks');
  });

  it('init refuses to change an existing config without --force, and --dry-run --yes reads its domain', async () => {
    await run(['init', '--domain', 'university.inspera.com', '--yes']);
    const refused = await run(['init', '--domain', 'other.inspera.com', '--yes']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/already exists with different content — nothing was written; use --force/);
    expect(await config()).toContain('university.inspera.com');
    const dry = await run(['init', '--dry-run', '--yes']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('https://university.inspera.com/ltiprovider/launch');
  });

  it("record keeps a hand-edited config's comments, and an exported config's tool URLs", async () => {
    await run(['init', '--domain', 'university.inspera.com', '--yes']);
    await writeFile(
      join(dir.path, 'inspera-lti.yaml'),
      (await config()).replace('moodle:', '# Moodle settings agreed with IT, 2026-11\nmoodle:'),
    );
    expect((await run(['record', ...SIX])).code).toBe(0);
    expect(await config()).toContain('# Moodle settings agreed with IT, 2026-11');

    const exported = join(dir.path, 'sheet.yaml');
    await writeFile(
      exported,
      (await run(['export'])).stdout.replace(
        /https:\/\/university\.inspera\.com\/ltiprovider\/init/g,
        'https://university.inspera.com/custom/init',
      ),
    );
    const recorded = await run([
      '--config',
      'sheet.yaml',
      'record',
      '--platform-id',
      'https://moodle.example.edu',
      '--client-id',
      'AbcdefghijKLMNO',
      '--deployment-id',
      '4',
    ]);
    expect(recorded.code, recorded.stderr).toBe(0);
    const sheet = await readFile(exported, 'utf8');
    expect(sheet).toContain('https://university.inspera.com/custom/init');
    expect(sheet).toMatch(/Client ID: AbcdefghijKLMNO/);
  });
});

describe('export is repeatable', () => {
  it('the same content is up to date (only the time line differs); the format follows the extension', async () => {
    await run(['init', '--domain', 'university.inspera.com', '--yes']);
    expect((await run(['export', '--output', 'f.yaml'])).code).toBe(0);
    await new Promise((r) => setTimeout(r, 20));
    const again = await run(['export', '--output', 'f.yaml']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('already up to date');
    expect((await run(['export', '--output', 'h.json'])).code).toBe(0);
    const json = await readFile(join(dir.path, 'h.json'), 'utf8');
    expect(() => JSON.parse(json)).not.toThrow();
    expect((await run(['export', '--output', 'y.json', '--format', 'yaml'])).code).toBe(0);
    expect(await readFile(join(dir.path, 'y.json'), 'utf8')).toMatch(/^# inspera-lti hand-off sheet/);
  });
});

describe('a config that cannot be read', () => {
  it('init --force replaces it (a .bak kept), as its error message says; without --force it is refused', async () => {
    await writeFile(join(dir.path, 'inspera-lti.yaml'), 'tool: [unclosed\n');
    const refused = await run(['init', '--domain', 'university.inspera.com', '--yes']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/init --force/);
    const forced = await run(['init', '--domain', 'university.inspera.com', '--yes', '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(await config()).toContain('domain: university.inspera.com');
    expect(await readFile(join(dir.path, 'inspera-lti.yaml.bak'), 'utf8')).toBe('tool: [unclosed\n');
  });
});
