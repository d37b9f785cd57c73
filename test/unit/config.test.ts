import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { parseConfig } from '../../src/config/parse.js';
import { writeFileAtomic } from '../../src/util/atomic-write.js';
import { SECRET_MARKER } from '../../src/config/sections.js';
import { toExportDocument } from '../../src/config/serialize.js';
import { renderConfigYaml } from '../../src/config/write.js';
import type { InsperaLtiError } from '../../src/errors.js';
import { tempDir } from '../helpers/cli.js';

const RAW = {
  tool: { domain: 'uni.inspera.com', customParameters: { enroll_candidates: 'true' } },
  platform: { platformId: 'https://moodle.example.edu', clientId: 'EhdzqulqmXxNDkw', deploymentId: 3 },
  moodle: { launchContainer: 'embed' },
};

function configError(raw: unknown): InsperaLtiError {
  try {
    parseConfig(raw, 'test.yaml');
  } catch (error) {
    return error as InsperaLtiError;
  }
  throw new Error('expected a config error');
}

describe('parseConfig', () => {
  it("derives the tool URLs and fills Inspera's recommended Moodle settings", () => {
    const { config, warnings } = parseConfig(RAW, 'test.yaml');
    expect(warnings).toEqual([]);
    expect(config.tool?.urls.loginInitUrl).toBe('https://uni.inspera.com/ltiprovider/init');
    expect(config.platform.deploymentId).toBe('3');
    expect(config.moodle.launchContainer).toBe('embed');
    expect(config.moodle.services).toEqual({ ags: 'grade-sync-and-columns', nrps: true, toolSettings: false });
  });

  it('uses template overrides from the config', () => {
    const { config } = parseConfig(
      { tool: { domain: 'uni.inspera.com', templates: { loginInitUrl: 'https://{domain}/lti13/login' } } },
      'x',
    );
    expect(config.tool?.urls.loginInitUrl).toBe('https://uni.inspera.com/lti13/login');
  });

  it('names the exact path of a wrong value and suggests the right key', () => {
    expect(configError({ moodle: { services: { ags: 'full' } } }).message).toBe(
      'test.yaml: moodle.services.ags is "full"; expected one of off, grade-sync, grade-sync-and-columns',
    );
    const typo = configError({ tool: { domian: 'x.inspera.com' } });
    expect(typo.message).toContain('tool.domian is not a known setting');
    expect(typo.hint).toContain('"domain"');
    expect(configError({ tool: { name: 'x' } }).message).toContain('tool.domain is missing');
    expect(configError({ moodle: { deepLinking: 'no' } }).message).toContain('must be true or false');
    expect(configError([1, 2]).message).toContain('must be a mapping');
  });

  it('warns about unknown or misspelt custom parameters but accepts them', () => {
    const { warnings, config } = parseConfig(
      { tool: { domain: 'uni.inspera.com', customParameters: ['enrol_candidates=true', 'my_param=1'] } },
      'x',
    );
    expect(config.tool?.customParameters).toEqual({ enrol_candidates: 'true', my_param: '1' });
    expect(warnings.join('\n')).toContain('did you mean "enroll_candidates"');
    expect(warnings.join('\n')).toContain('"my_param" is not a parameter Inspera documents');
  });

  it("accepts the six values under Moodle's labels and rejects a conflict", () => {
    const { config } = parseConfig(
      { 'Tool configuration details': { 'Platform ID': 'https://m.example.edu', 'Client ID': 'abc' } },
      'x',
    );
    expect(config.platform).toEqual({ platformId: 'https://m.example.edu', clientId: 'abc' });
    expect(
      configError({ platform: { clientId: 'a' }, 'Tool configuration details': { 'Client ID': 'b' } }).message,
    ).toContain('"Tool configuration details: Client ID" is "b"');
    expect(configError({ platform: { clientId: 'a' }, 'Tool configuration details': { 'Client ID': 'b' } }).hint).toBe(
      'keep one of the two',
    );
  });
});

describe('export document', () => {
  it("puts the six values first under Moodle's labels and redacts private keys", () => {
    const { config } = parseConfig(
      {
        ...RAW,
        keys: { tool: { privateKeyPem: '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n', kid: 'k1' } },
      },
      'x',
    );
    const document = toExportDocument(config);
    expect(Object.keys(document)[0]).toBe('Tool configuration details');
    expect(Object.keys(document['Tool configuration details'] as object)).toEqual([
      'Platform ID',
      'Client ID',
      'Deployment ID',
      'Public keyset URL',
      'Access token URL',
      'Authentication request URL',
    ]);
    expect(JSON.stringify(document)).not.toContain('BEGIN PRIVATE KEY');
    expect((document.keys as { tool: { privateKeyPem: string } }).tool.privateKeyPem).toBe(SECRET_MARKER);
    expect(JSON.stringify(toExportDocument(config, { includeSecrets: true }))).toContain('BEGIN PRIVATE KEY');
    // The marker reads back as "no key", so the export is still a valid config.
    expect(parseConfig(JSON.parse(JSON.stringify(document)), 'x').config.keys.tool).toEqual({ kid: 'k1' });
  });
});

describe('files', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  beforeEach(async () => (dir = await tempDir()));
  afterEach(async () => dir.cleanup());

  it('loads a discovered .inspera-ltirc.yaml and reports YAML syntax errors with the line', async () => {
    const { config } = parseConfig(RAW, 'x');
    await writeFile(join(dir.path, '.inspera-ltirc.yaml'), await renderConfigYaml(config));
    const loaded = await loadConfig({ cwd: dir.path });
    expect(loaded.filepath).toBe(join(dir.path, '.inspera-ltirc.yaml'));
    expect(loaded.config).toEqual(config);

    await writeFile(join(dir.path, 'bad.yaml'), 'tool:\n  domain: a\n   name: b\n');
    await expect(loadConfig({ cwd: dir.path, configPath: 'bad.yaml' })).rejects.toThrow(
      /bad\.yaml line \d+, column \d+/,
    );
    await expect(loadConfig({ cwd: dir.path, configPath: 'missing.yaml' })).rejects.toMatchObject({
      code: 'CONFIG_NOT_FOUND',
    });
  });

  it('reads the "inspera-lti" key of package.json', async () => {
    await writeFile(
      join(dir.path, 'package.json'),
      JSON.stringify({ name: 'x', 'inspera-lti': { tool: { domain: 'pkg.inspera.com' } } }),
    );
    expect((await loadConfig({ cwd: dir.path })).config.tool?.domain).toBe('pkg.inspera.com');
  });

  it('writes atomically, refuses to replace a different file, keeps a .bak when it does', async () => {
    const path = join(dir.path, 'c.yaml');
    expect((await writeFileAtomic(path, 'one\n')).outcome).toBe('created');
    expect((await writeFileAtomic(path, 'one\n')).outcome).toBe('unchanged');
    await expect(writeFileAtomic(path, 'two\n')).rejects.toMatchObject({ code: 'FILE_EXISTS' });
    expect(await readFile(path, 'utf8')).toBe('one\n');
    const replaced = await writeFileAtomic(path, 'two\n', { expected: 'one\n' });
    expect(replaced).toMatchObject({ outcome: 'replaced', backup: `${path}.bak` });
    expect(await readFile(`${path}.bak`, 'utf8')).toBe('one\n');
    await writeFileAtomic(path, 'three\n', { force: true });
    expect(await readFile(path, 'utf8')).toBe('three\n');
  });

  it('writes key-bearing files with mode 0600', async () => {
    const path = join(dir.path, 'key.pem');
    await writeFileAtomic(path, 'secret', { mode: 0o600 });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });
});

describe('config edge cases', () => {
  it('rejects a template that does not make a URL, naming it', () => {
    expect(() =>
      parseConfig({ tool: { domain: 'uni.inspera.com', templates: { loginInitUrl: '{domain}/init' } } }, 'c.yaml'),
    ).toThrow(/c\.yaml: tool\.templates\.loginInitUrl gives "uni\.inspera\.com\/init", which is not an http\(s\) URL/);
  });
});

describe('checks.skip', () => {
  it('takes known check ids and suggests on a typo', async () => {
    expect(parseConfig({ checks: { skip: ['tool.login-init'] } }, 'c').config.checks.skip).toEqual(['tool.login-init']);
    expect(() => parseConfig({ checks: { skip: ['tool.logininit'] } }, 'c')).toThrow(
      /checks\.skip\[0\] is "tool\.logininit", not a check id/,
    );
    try {
      parseConfig({ checks: { skip: ['tool.logininit'] } }, 'c');
    } catch (error) {
      expect((error as InsperaLtiError).hint).toBe('did you mean "tool.login-init"?');
    }
  });

  it('lists exactly the checks validate runs', async () => {
    const { VALIDATE_CHECKS } = await import('../../src/checks/validate/index.js');
    const { VALIDATE_CHECK_IDS } = await import('../../src/config/check-ids.js');
    expect(VALIDATE_CHECKS.map((c) => c.check.id)).toEqual([...VALIDATE_CHECK_IDS]);
  });
});

describe('a config with several mistakes', () => {
  it('reports all of them at once, each at its path', async () => {
    const { parseConfig } = await import('../../src/config/parse.js');
    let message = '';
    try {
      parseConfig(
        {
          tool: { domian: 'x', domain: 'uni.inspera.com' },
          moodle: { launchContainer: 'popup', services: { nrps: 'yes' } },
          checks: { skip: ['tool.login'] },
        },
        'c.yaml',
      );
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^c\.yaml has 4 mistakes: /);
    for (const part of [
      'tool.domian is not a known setting',
      'moodle.services.nrps must be true or false',
      'moodle.launchContainer is "popup"',
      'checks.skip[0] is "tool.login"',
    ]) {
      expect(message).toContain(part);
    }
  });
});
