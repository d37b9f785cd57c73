import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { moodle } from './harness/site.js';
import { asToolFlags, cli, REFUSED_LOGIN, useWorkDir } from './helpers.js';

const workPath = useWorkDir();

describe('load mode against a real Moodle', () => {
  it(
    'logs in with the real accounts of --users-file, more launches at ' +
      'once than accounts, and reports what an embedded run reports',
    async () => {
      const { users } = moodle();
      const file = join(workPath(), 'users.txt');
      await writeFile(
        file,
        `# learners of ABC101\n${users.ada.username}:${users.ada.password}\n${users.alan.username}` +
          `:${users.alan.password}\n`,
        { mode: 0o600 },
      );
      const result = await cli(
        ['simulate', 'grade', '--json', ...asToolFlags(), '--users-file', file, '--count', '6', '--concurrency', '3'],
        workPath(),
      );
      const doc = JSON.parse(result.stdout);
      // Three at a time with two accounts: one of them is in two Moodle sessions at once, and their scores take turns.
      expect(doc.load, result.stderr).toMatchObject({
        count: 6,
        concurrency: 3,
        grade: true,
        succeeded: 6,
        failed: 0,
        failures: [],
      });
      expect(doc.load.perSecond).toBeGreaterThan(0);
      expect(result.code).toBe(0);
      expect(result.stdout + result.stderr).not.toContain(users.ada.password);
      // A person's score right after the load run, as a CI job would post one: a newer second, never Moodle's 409.
      const person = await cli(['simulate', 'grade', '--json', ...asToolFlags(), '--username', 'ada'], workPath(), {
        MOODLE_PASSWORD: users.ada.password,
      });
      expect(
        JSON.parse(person.stdout).grade.scores.map((s: { status: number }) => s.status),
        person.stderr,
      ).toEqual([200]);
      const embedded = JSON.parse(
        (await cli(['simulate', 'grade', '--json', '--count', '4', '--concurrency', '2'], workPath())).stdout,
      );
      expect(Object.keys(doc.load)).toEqual(Object.keys(embedded.load));
    },
  );

  it('refuses clearly without real accounts, and reports a wrong password as the login refusal it is', async () => {
    const none = await cli(['simulate', 'launch', ...asToolFlags(), '--count', '3'], workPath());
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(
      /--platform-url needs the Moodle account to log in with — add --username <name>.*--users-file/,
    );
    const file = join(workPath(), 'bad.txt');
    await writeFile(file, 'ada:wrong-Password-1!\n', { mode: 0o600 });
    const bad = await cli(
      ['simulate', 'launch', '--json', ...asToolFlags(), '--users-file', file, '--count', '2', '--concurrency', '1'],
      workPath(),
    );
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).load.failures).toEqual([
      { verdict: `Moodle refused the login for ada: "${REFUSED_LOGIN()}"`, count: 2 },
    ]);
  });
});
