import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

/** No flag silently ignored: honoured, or refused in one line with exit 2. */
let dir: { path: string; cleanup: () => Promise<void> };
const run = (args: string[]) => runCli(args, { cwd: dir.path });
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(async () => dir.cleanup());

describe('flags are honoured or refused', () => {
  it.each([
    [['validate', '--output', 'f.txt'], /--output f\.txt writes a report file, and the human output has none/],
    [['simulate', 'launch', '--output', 'f.txt'], /--output f\.txt writes a report file/],
    [['simulate', 'launch', '--reporter', 'junit', '--json'], /--json and --reporter junit ask for two formats/],
    [['simulate', 'launch', '--timeout', '0x3e8'], /--timeout "0x3e8" is not a number/],
    [['simulate', 'launch', '--leeway', '1e3'], /--leeway "1e3" is not a number/],
  ])('%j', async (args, pattern) => {
    const result = await run(args as string[]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(pattern as RegExp);
  });

  it('with --json, an error from the argument parser is one JSON document too', async () => {
    const result = await run(['simulate', 'launch', '--json', '--persona', 'nobody']);
    expect(result.code).toBe(2);
    const doc = JSON.parse(result.stdout);
    expect(doc).toMatchObject({ ok: false, error: { code: 'USAGE', message: expect.stringMatching(/--persona/) } });
  });
});

describe('--no-color reaches the prompts', () => {
  it(
    'at a terminal (script gives one), the prompt has no colour codes ' + 'with --no-color, and has them without',
    async () => {
      const { spawn } = await import('node:child_process');
      const { BIN } = await import('../helpers/cli.js');
      const atTerminal = (args: string) =>
        new Promise<string>((resolve) => {
          const child = spawn('script', ['-qfec', `"${process.execPath}" "${BIN}" ${args}`, '/dev/null'], {
            cwd: dir.path,
            env: { PATH: process.env.PATH, TERM: 'xterm' },
          });
          let out = '';
          let sent = false;
          child.stdout.on('data', (d: Buffer) => {
            out += d.toString();
            // Ctrl-C once the question is on screen: the prompt was drawn, nothing is saved.
            if (!sent && out.includes('Inspera tenant')) {
              sent = true;
              child.stdin.write('\x03');
            }
          });
          child.on('close', () => resolve(out));
        });
      const plain = await atTerminal('init --no-color');
      expect(plain).toContain('Inspera tenant');
      expect(plain).not.toMatch(/\x1b\[3\dm/);
      expect(await atTerminal('init')).toMatch(/\x1b\[3\dm/);
    },
  );
});
