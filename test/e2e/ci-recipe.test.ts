import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/util/free-port.js';
import { BIN } from '../helpers/cli.js';

/**
 * docs/ci.md's job as a CI engineer pastes it (issue 31, point 2): its steps run as written — bash -e, as GitHub
 * Actions runs them — with inspera-lti on PATH, and the GitHub and GitLab blocks hold the same steps.
 */
const DOC = new URL('../../docs/ci.md', import.meta.url);
let work: string;
let steps: string;

beforeAll(async () => {
  const text = await readFile(DOC, 'utf8');
  steps = /## The steps[^\n]*\n\n```sh\n([\s\S]*?)```/.exec(text)![1]!;
  work = await mkdtemp(join(tmpdir(), 'ci-recipe-'));
  await symlink(BIN, join(work, 'inspera-lti'));
});
afterAll(() => rm(work, { recursive: true, force: true }));

function bash(script: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-e', '-c', script], { cwd: work, env, detached: true });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      // The services it started, if a step failed before it stopped them.
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {}
      resolve({ code, output });
    });
  });
}

describe('docs/ci.md', () => {
  it('the steps pass as written, and leave JUnit files with every test case passing', async () => {
    const env = {
      PATH: `${work}:${process.env.PATH}`,
      HOME: work,
      PLATFORM_PORT: String(await freePort()),
      TOOL_PORT: String(await freePort()),
    };
    const { code, output } = await bash(steps, env);
    expect(code, output).toBe(0);
    for (const file of ['lti-launch.xml', 'lti-grade.xml']) {
      const junit = await readFile(join(work, file), 'utf8');
      expect(junit).toMatch(/<testsuites name="inspera-lti" tests="[1-9]\d*" failures="0">/);
    }
  });

  it('the GitHub Actions and GitLab jobs hold the same steps', async () => {
    const text = await readFile(DOC, 'utf8');
    const lines = steps.split('\n').filter((line) => line.trim() && !line.trim().startsWith('#'));
    for (const heading of ['## GitHub Actions', '## GitLab CI']) {
      const block = /```yaml\n([\s\S]*?)```/.exec(text.slice(text.indexOf(heading)))![1]!;
      const held = block.split('\n').map((line) => line.trim());
      for (const line of lines) expect(held, `${heading}: ${line}`).toContain(line.trim());
    }
  });
});
