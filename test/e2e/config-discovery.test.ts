import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

/** Config discovery walks up from the working directory to the project root, as cosmiconfig does (issue 21, item 4). */
let dir: { path: string; cleanup: () => Promise<void> };
const run = (cwd: string, args: string[]) => runCli(args, { cwd });
const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

beforeAll(async () => {
  dir = await tempDir();
  const init = await run(dir.path, ['init', '--domain', 'university.inspera.com', '--yes']);
  expect(init.code, init.stderr).toBe(0);
  await mkdir(join(dir.path, 'exams', 'spring'), { recursive: true });
  await mkdir(join(dir.path, 'other-project', 'src'), { recursive: true });
  await writeFile(join(dir.path, 'other-project', 'package.json'), '{"name":"other"}\n');
});
afterAll(async () => dir?.cleanup());

describe('config discovery', () => {
  it('finds the config in a folder above, and record updates that file', async () => {
    const deep = join(dir.path, 'exams', 'spring');
    const sheet = await run(deep, ['export', '--format', 'json']);
    expect(sheet.code, sheet.stderr).toBe(0);
    expect(JSON.parse(sheet.stdout).tool.domain).toBe('university.inspera.com');
    const recorded = await run(deep, [
      'record',
      '--platform-id',
      'https://moodle.example.edu',
      '--client-id',
      'EhdzqulqmXxNDkw',
      '--deployment-id',
      '3',
    ]);
    expect(recorded.code, recorded.stderr).toBe(0);
    expect(await exists(join(deep, 'inspera-lti.yaml'))).toBe(false);
    expect(await readFile(join(dir.path, 'inspera-lti.yaml'), 'utf8')).toContain('clientId: EhdzqulqmXxNDkw');
  });

  it('stops at the project root (a folder with a package.json): a config above it is not its own', async () => {
    const inside = join(dir.path, 'other-project', 'src');
    const sheet = await run(inside, ['export']);
    expect(sheet.code).toBe(2);
    expect(sheet.stderr).toMatch(/no inspera-lti config in .*other-project\/src or a folder above it/);
  });
});
