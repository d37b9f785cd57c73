import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeFolders } from '../moodle/harness/moodle.js';
import { tempDir } from '../helpers/cli.js';

/** Empty files at these paths below `root`. */
async function tree(root: string, files: string[]): Promise<void> {
  for (const file of files) {
    await mkdir(dirname(join(root, file)), { recursive: true });
    await writeFile(join(root, file), '<?php\n');
  }
}

describe("the real-Moodle harness reads a Moodle source's layout", () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    dir = await tempDir();
  });
  afterAll(async () => dir.cleanup());

  it('up to 5.0: everything in the top folder, which is also the web root', async () => {
    await tree(join(dir.path, 'm45'), [
      'moodle/version.php',
      'moodle/lib/setup.php',
      'moodle/admin/cli/install.php',
      'moodle/admin/tool/behat/cli/init.php',
    ]);
    expect(await codeFolders(join(dir.path, 'm45'))).toEqual({
      root: join(dir.path, 'm45/moodle'),
      webRoot: join(dir.path, 'm45/moodle'),
    });
  });

  it('from 5.1: config.php and admin/cli at the top, the web root in public/', async () => {
    await tree(join(dir.path, 'm51'), [
      'moodle/admin/cli/install.php',
      'moodle/lib/setup.php',
      'moodle/public/version.php',
      'moodle/public/lib/setup.php',
      'moodle/public/config.php',
    ]);
    expect(await codeFolders(join(dir.path, 'm51'))).toEqual({
      root: join(dir.path, 'm51/moodle'),
      webRoot: join(dir.path, 'm51/moodle/public'),
    });
  });

  it('anything else is refused in one line', async () => {
    await tree(join(dir.path, 'other'), ['project/admin/cli/install.php']);
    await expect(codeFolders(join(dir.path, 'other'))).rejects.toThrow(
      /^no Moodle source \(admin\/cli\/install\.php, version\.php and lib\/setup\.php\) in /,
    );
  });
});
