import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { moodle, playedRelease } from './harness/site.js';
import { cli, detailsText, serveTool, stopServe, useWorkDir } from './helpers.js';
import type { Served } from '../helpers/serve.js';

/**
 * The login probe against the real Moodle's six values (issue 32, point 1): serve tool plays Inspera registered with
 * this Moodle, or sending its own repost; validate reads the Moodle's version from its real discovery document and
 * says whether MDL-83526 breaks that tool here — it does on 5.2.1+ (SameSite=Lax), not yet on 4.5.6.
 */
const workPath = useWorkDir();
let tool: Served | undefined;
afterEach(async () => {
  if (tool) await stopServe(tool.child);
  tool = undefined;
});

async function configured(): Promise<void> {
  const info = moodle();
  const args = ['init', '--domain', `http://127.0.0.1:${info.toolPort}`, '--moodle-url', info.wwwroot];
  expect((await cli([...args, '--allow-insecure', '--yes'], workPath())).code).toBe(0);
  const copied = join(workPath(), 'details.txt');
  await writeFile(copied, detailsText());
  expect((await cli(['record', '--from-file', copied, '--allow-insecure'], workPath())).code).toBe(0);
}

const toolResults = async () => {
  const result = await cli(['validate', '--json', '--only', 'tool', '--timeout', '15000'], workPath());
  const doc = JSON.parse(result.stdout) as { results: Array<{ id: string; status: string; finding: string }> };
  return Object.fromEntries(doc.results.map((r) => [r.id, r]));
};

describe('the login probe with the real Moodle', () => {
  it("a tool that sends its own repost: judged by the real Moodle's version", async () => {
    await configured();
    tool = await serveTool(workPath(), ['--scenario', 'tool-sends-repost']);
    const repost = (await toolResults())['tool.repost']!;
    const lax = playedRelease().line.wire.sessionSameSite === 'lax';
    expect(repost.status, repost.finding).toBe(lax ? 'fail' : 'warn');
    expect(repost.finding).toMatch(lax ? /sets its session cookie SameSite=Lax/ : /every launch will fail once/);
  });
});
