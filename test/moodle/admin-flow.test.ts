import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { moodle } from './harness/site.js';
import { cli, detailsText, serveTool, stopServe, useWorkDir } from './helpers.js';
import type { Served } from '../helpers/serve.js';

const workPath = useWorkDir();

let tool: Served | undefined;
afterAll(async () => {
  if (tool) await stopServe(tool.child);
});

describe("the administrator's flow against a real Moodle", () => {
  it('init, record the six values as Moodle shows them, validate passes, doctor --live is healthy', async () => {
    const info = moodle();
    const init = await cli(
      [
        'init',
        '--domain',
        `http://127.0.0.1:${info.toolPort}`,
        '--moodle-url',
        info.wwwroot,
        '--allow-insecure',
        '--yes',
      ],
      workPath(),
    );
    expect(init.code, init.stderr).toBe(0);
    // The checklist names the URLs the site was set up with (the same templates).
    expect(init.stdout).toContain(`http://127.0.0.1:${info.toolPort}/ltiprovider/init`);

    const copied = join(workPath(), 'details.txt');
    await writeFile(copied, detailsText());
    const record = await cli(['record', '--from-file', copied, '--allow-insecure'], workPath());
    expect(record.code, record.stderr + record.stdout).toBe(0);

    tool = await serveTool(workPath());
    const validate = await cli(['validate', '--json', '--timeout', '15000'], workPath());
    const report = JSON.parse(validate.stdout) as {
      ok: boolean;
      results: Array<{ id: string; status: string; finding: string }>;
    };
    const notPassed = report.results.filter((r) => r.status !== 'pass');
    // The only thing short of a pass is the loopback tool's plain http.
    expect(
      notPassed.filter((r) => r.status === 'fail'),
      JSON.stringify(notPassed, null, 2),
    ).toEqual([]);
    for (const r of notPassed) expect(r.finding, r.id).toMatch(/http|https|loopback|insecure/i);
    expect(report.results.filter((r) => r.status === 'pass').length).toBeGreaterThanOrEqual(8);
    // The login probe: the tool, registered with the real Moodle's six values, answers with a redirect to its auth.php.
    const registration = report.results.find((r) => r.id === 'tool.registration')!;
    expect(registration.status, registration.finding).toBe('pass');
    expect(registration.finding).toContain(`${info.wwwroot}/mod/lti/auth.php`);
    expect(validate.code).toBe(0);

    const doctor = await cli(['doctor', '--live', '--json', '--timeout', '15000'], workPath());
    const diagnosis = JSON.parse(doctor.stdout) as {
      ok: boolean;
      verdict: string;
      problems: Array<{ severity: string; cause: { id: string } }>;
      passed: unknown[];
      inputs: string[];
    };
    expect(
      diagnosis.problems.filter((p) => p.severity === 'fail'),
      doctor.stdout,
    ).toEqual([]);
    expect(diagnosis.inputs.join(' ')).toMatch(/live/);
    expect(diagnosis.passed.length).toBeGreaterThanOrEqual(8);
    expect(diagnosis.ok, doctor.stdout).toBe(true);
    expect(doctor.code).toBe(0);
  });
});
