import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

/** Shell completion (issue 21, item 2): the printed bash script, sourced by a real bash and asked as Tab would. */
const exec = promisify(execFile);
let dir: { path: string; cleanup: () => Promise<void> };
let script = '';

beforeAll(async () => {
  dir = await tempDir();
  const printed = await runCli(['completion', 'bash']);
  expect(printed.code, printed.stderr).toBe(0);
  script = join(dir.path, 'inspera-lti.bash');
  await writeFile(script, printed.stdout);
});
afterAll(async () => dir?.cleanup());

/** What bash offers for the words typed so far (the last one is being completed). */
async function offered(...typed: string[]): Promise<string[]> {
  const words = ['inspera-lti', ...typed].map((w) => `'${w}'`).join(' ');
  const { stdout } = await exec('bash', [
    '-c',
    `source '${script}'; complete -p inspera-lti >/dev/null || exit 3; ` +
      `COMP_WORDS=(${words}); COMP_CWORD=${typed.length}; _inspera_lti; printf '%s\\n' "\${COMPREPLY[@]}"`,
  ]);
  return stdout.split('\n').filter(Boolean);
}

describe('inspera-lti completion bash', () => {
  it('completes commands, then subcommands', async () => {
    expect(await offered('')).toEqual(expect.arrayContaining(['init', 'record', 'doctor', 'simulate', 'fleet']));
    expect(await offered('si')).toEqual(['simulate']);
    expect(await offered('simulate', '')).toEqual(['launch', 'grade']);
  });

  it("completes a command's own options, a flag's choices and the scenario names", async () => {
    expect(await offered('doctor', '--rep')).toEqual(['--report', '--reporter']);
    expect(await offered('doctor', '--con')).toEqual(['--config']); // the program's own, after a command too
    expect(await offered('simulate', 'launch', '--launch-container', '')).toEqual([
      'embed',
      'embed-no-blocks',
      'existing-window',
      'new-window',
    ]);
    expect(await offered('simulate', 'launch', '--scenario', 'lost')).toEqual(['lost-state-cookie']);
    expect(await offered('completion', '')).toEqual(['bash', 'zsh', 'fish']);
  });

  it('prints zsh and fish scripts too, and refuses another shell (exit 2)', async () => {
    const zsh = await runCli(['completion', 'zsh']);
    expect(zsh.stdout).toContain('bashcompinit');
    expect(zsh.stdout).toContain('complete -o default -F _inspera_lti inspera-lti');
    const fish = await runCli(['completion', 'fish']);
    expect(fish.stdout).toContain("complete -c inspera-lti -n '__fish_use_subcommand' -a 'demo init record");
    expect(fish.stdout).toMatch(/-l scenario -xa '[^']*lost-state-cookie/);
    const other = await runCli(['completion', 'powershell']);
    expect(other.code).toBe(2);
  });
});
