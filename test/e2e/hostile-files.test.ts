import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoStackTrace, runCli, tempDir } from '../helpers/cli.js';

/** Hostile files give one clear line and exit 2, in bounded time and memory. */
let dir: { path: string; cleanup: () => Promise<void> };
const run = (args: string[]) => runCli(args, { cwd: dir.path });
const oneLine = (result: { code: number | null; stdout: string; stderr: string }, pattern: RegExp) => {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stderr).toMatch(pattern);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expectNoStackTrace(result);
};

beforeAll(async () => {
  dir = await tempDir();
  execFileSync('mkfifo', [join(dir.path, 'fifo')]);
  await writeFile(join(dir.path, 'alias.yaml'), 'tool:\n  domain: *nowhere\n');
  const laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 9; i++)
    laughs.push(
      `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
        .fill(`*${String.fromCharCode(96 + i)}`)
        .join(',')}]`,
    );
  await writeFile(join(dir.path, 'laughs.yaml'), laughs.join('\n') + '\n');
  await writeFile(join(dir.path, 'deep.yaml'), `tool: ${'['.repeat(50_000)}${']'.repeat(50_000)}\n`);
});
afterAll(async () => dir.cleanup());

describe('hostile files', () => {
  it('YAML with an undefined alias, or a billion laughs, is bad input (exit 2), not a bug', async () => {
    oneLine(await run(['--config', 'alias.yaml', 'doctor']), /^inspera-lti: .*alias\.yaml.*alias/i);
    oneLine(await run(['--config', 'laughs.yaml', 'doctor']), /^inspera-lti: .*laughs\.yaml: .*alias/i);
  });

  it('a 50,000-deep config says it nests too deep, not a made-up syntax error', async () => {
    oneLine(await run(['--config', 'deep.yaml', 'doctor']), /nests deeper than a config does/);
  });

  it.each([
    [['record', '--from-file', 'fifo'], /--from-file fifo is not a regular file/],
    [['doctor', '--token', 'fifo'], /--token fifo is not a regular file/],
    [['--config', 'fifo', 'doctor'], /fifo is not a regular file/],
    [['doctor', '--error', 'x', '--token', '/dev/zero'], /--token \/dev\/zero is not a regular file/],
    [['roles', '--token', 'fifo'], /--token fifo is not a regular file/],
  ])('%j: a pipe or a device is refused at once, never read', async (args, pattern) => {
    oneLine(await run(args as string[]), pattern as RegExp);
  });
});

describe('the embedded servers', () => {
  it(
    'a malformed cookie from another app on 127.0.0.1 is no 500; a ' +
      '--host that is not this machine is one line, exit 2',
    async () => {
      const { startServe, stopServe } = await import('../helpers/serve.js');
      const platform = await startServe(['platform'], { cwd: dir.path });
      try {
        const answer = await fetch(`${platform.info.listening}/login/index.php`, {
          headers: { cookie: 'other_app=50%off; MoodleSession=nope' },
        });
        expect(answer.status).toBe(200);
        // Nothing named, nothing contacted: the demo tool is registered but stays unreachable from here.
        expect(platform.logs()).toMatch(
          /the demo tool https:\/\/university\.inspera\.com\/ltiprovider\/init is registered but never contacted/,
        );
      } finally {
        await stopServe(platform.child);
      }
      oneLine(
        await run(['serve', 'platform', '--host', '10.0.0.1']),
        /^inspera-lti: --host 10\.0\.0\.1 is not an address of this machine — /,
      );
    },
  );
});

describe('untrusted text on the terminal', () => {
  it(
    'a domain with DEL or a right-to-left override, and a pasted ' +
      'value with a zero-width space, are printed escaped',
    async () => {
      const rlo = await run(['init', '--domain', 'uni\u202e.inspera.com', '--yes', '--dry-run']);
      expect(rlo.code).toBe(2);
      expect(rlo.stderr).toContain('\\u202e');
      expect(rlo.stderr).not.toContain('\u202e');
      const del = await run(['init', '--domain', 'uni\x7f.inspera.com', '--yes', '--dry-run']);
      expect(del.stderr).toContain('\\x7f');
      expect(del.stderr).not.toContain('\x7f');
      const zw = await run([
        'record',
        '--platform-id',
        'https://moodle.example.edu',
        '--client-id',
        'Ehdzqulqm\u200bXxNDkw',
        '--deployment-id',
        '3',
        '--dry-run',
      ]);
      expect(zw.stdout + zw.stderr).not.toContain('\u200b');
      expect(zw.stdout).toContain('\\u200b');
    },
  );

  it('a binary config file gives one short, escaped line', async () => {
    await writeFile(
      join(dir.path, 'binary.yaml'),
      Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), Buffer.alloc(5000, 0x07)]),
    );
    const result = await run(['--config', 'binary.yaml', 'doctor']);
    expect(result.code).toBe(2);
    expect(result.stderr.length).toBeLessThan(900);
    expect(result.stderr).not.toMatch(/[\x00-\x08\x0e-\x1f]/);
  });

  it.each([['demo'], ['simulate', 'launch']])(
    'no writable HOME (a CI account such as nobody): %s names the directory and INSPERA_LTI_KEYS_DIR, exit 2',
    async (...args) => {
      // HOME is a file: nothing can be made under it, whoever runs the test (root ignores directory permissions).
      const home = join(dir.path, 'home-is-a-file');
      await writeFile(home, '');
      const result = await runCli(args, {
        cwd: dir.path,
        env: { HOME: home, INSPERA_LTI_KEYS_DIR: undefined, XDG_CONFIG_HOME: undefined },
      });
      expect(result.code, result.stderr).toBe(2);
      expectNoStackTrace(result);
      // demo says it is starting first; the error is the one line after.
      expect(result.stderr.trim().split('\n').pop()).toMatch(
        new RegExp(
          `^inspera-lti: cannot keep the generated \\w+ ` +
            `key: ${home}/\\.config/inspera-lti/keys cannot ` +
            `be created \\(ENOTDIR\\) — set INSPERA_LTI_KEYS_DIR`,
        ),
      );
      expect(result.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
      expect(result.stderr).not.toMatch(/internal error|bug/);
    },
  );
});
