import { execFile, execFileSync } from 'node:child_process';
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

/** A shell on this machine; CI installs zsh and fish and sets INSPERA_LTI_TEST_SHELLS=1, so there none is skipped. */
function shell(name: string): boolean {
  try {
    execFileSync(name, ['-c', 'exit 0'], { stdio: 'ignore' });
    return true;
  } catch {
    if (process.env.INSPERA_LTI_TEST_SHELLS === '1') throw new Error(`${name} is required here and not installed`);
    return false;
  }
}

describe.skipIf(!shell('zsh'))('inspera-lti completion zsh, in a real zsh (compinit and bashcompinit)', () => {
  /** What zsh completion gets for the words typed: compgen as _bash_complete calls it, then compadd's prefix match. */
  async function zshOffers(...typed: string[]): Promise<string[]> {
    const printed = await runCli(['completion', 'zsh']);
    const file = join(dir.path, 'inspera-lti.zsh');
    await writeFile(file, printed.stdout);
    const words = ['inspera-lti', ...typed].map((w) => `'${w}'`).join(' ');
    const { stdout } = await exec('zsh', [
      '-fc',
      `autoload -U compinit && compinit -u -d '${dir.path}/zcompdump'; source '${file}'; ` +
        `[[ \${_comps[inspera-lti]} == '_bash_complete -o default -F _inspera_lti' ]] || exit 3; ` +
        `words=(${words}); CURRENT=${typed.length + 1}; COMP_WORDS=("\${words[@]}"); COMP_CWORD=$((CURRENT-1)); ` +
        `results=(\${(f)"$(compgen -o default -F _inspera_lti -- '${typed.at(-1)}')"}); ` +
        `print -l -- \${(M)results:#${typed.at(-1)}*}`,
    ]);
    return stdout.split('\n').filter(Boolean);
  }

  it('sets itself up in a zsh without compinit loaded (a bare ~/.zshrc)', async () => {
    const printed = await runCli(['completion', 'zsh']);
    const file = join(dir.path, 'bare.zsh');
    await writeFile(file, printed.stdout);
    const { stdout } = await exec('zsh', ['-fc', `source '${file}'; print -r -- \${_comps[inspera-lti]}`], {
      env: { ...process.env, HOME: dir.path, ZDOTDIR: dir.path },
    });
    expect(stdout.trim()).toBe('_bash_complete -o default -F _inspera_lti');
  });

  it('completes commands, options, choices and scenarios as bash does', async () => {
    expect(await zshOffers('si')).toEqual(['simulate']);
    expect(await zshOffers('simulate', '')).toEqual(['launch', 'grade']);
    expect(await zshOffers('doctor', '--rep')).toEqual(['--report', '--reporter']);
    expect(await zshOffers('simulate', 'launch', '--scenario', 'lost')).toEqual(['lost-state-cookie']);
  });
});

describe.skipIf(!shell('fish'))('inspera-lti completion fish, in a real fish', () => {
  async function fishOffers(line: string): Promise<string[]> {
    const printed = await runCli(['completion', 'fish']);
    const file = join(dir.path, 'inspera-lti.fish');
    await writeFile(file, printed.stdout);
    const { stdout } = await exec('fish', ['--no-config', '-c', `source '${file}'; complete -C '${line}'`]);
    return stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split('\t')[0]!);
  }

  it('completes commands, options, choices and scenarios', async () => {
    expect(await fishOffers('inspera-lti si')).toEqual(['simulate']);
    expect(await fishOffers('inspera-lti simulate ')).toEqual(['grade', 'launch']); // fish sorts them
    expect(await fishOffers('inspera-lti doctor --rep')).toEqual(['--report', '--reporter']);
    expect(await fishOffers('inspera-lti simulate launch --scenario lost')).toEqual(['lost-state-cookie']);
    expect(await fishOffers('inspera-lti simulate launch --launch-container e')).toEqual([
      'embed',
      'embed-no-blocks',
      'existing-window',
    ]);
  });
});

describe('the install lines --help prints', () => {
  it('work as printed on a fresh account (no completions folder yet), for bash and fish', async () => {
    const help = (await runCli(['completion', '--help'])).stdout;
    const home = await tempDir();
    try {
      const { BIN } = await import('../helpers/cli.js');
      // The lines as a person pastes them (a wrapped one joined again), with this checkout's CLI for "inspera-lti".
      const lines = help
        .replace(/\\\n\s*/g, '')
        .split('\n')
        .filter((l) => /^\s*\$ /.test(l) && !/zsh/.test(l))
        .map((l) => l.replace(/^\s*\$ /, ''));
      expect(lines.filter((l) => l.startsWith('mkdir -p'))).toHaveLength(2);
      const bin = join(home.path, 'bin');
      await (await import('node:fs/promises')).mkdir(bin);
      await writeFile(join(bin, 'inspera-lti'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`, {
        mode: 0o755,
      });
      await exec('bash', ['-ec', lines.join('\n')], {
        env: { HOME: home.path, PATH: `${bin}:${process.env.PATH}`, CI: '1' },
      });
      const { stat } = await import('node:fs/promises');
      expect(
        (await stat(join(home.path, '.local/share/bash-completion/completions/inspera-lti'))).size,
      ).toBeGreaterThan(0);
      expect((await stat(join(home.path, '.config/fish/completions/inspera-lti.fish'))).size).toBeGreaterThan(0);
    } finally {
      await home.cleanup();
    }
  });
});
