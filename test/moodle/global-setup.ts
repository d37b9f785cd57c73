import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort, HarnessError } from '../helpers/harness.js';
import { checkPrerequisites, startMoodle, type MoodleSite } from './harness/moodle.js';
import { toolAt, type MoodleInfo, type Person, type SiteDetails } from './harness/site.js';

let running: MoodleSite | undefined;

/**
 * One real Moodle for the whole run: installed (or restored from MOODLE_CACHE) once, set up as the seed's admin would.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const log = (line: string) => process.stderr.write(`[moodle] ${line}\n`);
  let source: string;
  try {
    source = await checkPrerequisites();
  } catch (error) {
    if (error instanceof HarnessError) {
      // One line, and a failing run: this suite never passes without a real Moodle.
      process.stderr.write(`\nreal-Moodle suite: ${error.message}\n\n`);
    }
    throw error;
  }
  const started = Date.now();
  running = await startMoodle({
    source,
    ...(process.env.MOODLE_CACHE ? { cacheDir: process.env.MOODLE_CACHE } : {}),
    log,
  });
  try {
    project.provide('moodle', await setUpSite(running, log, started));
  } catch (error) {
    await running.stop();
    throw error;
  }
  return async () => {
    await running?.stop();
    running = undefined;
  };
}

async function setUpSite(running: MoodleSite, log: (line: string) => void, started: number): Promise<MoodleInfo> {
  log(`Moodle ${running.release} at ${running.wwwroot} (${Math.round((Date.now() - started) / 1000)} s)`);
  const [toolPort, crossSitePort] = [await freePort(), await freePort()];
  // Moodle's default password policy: 8+ characters with a digit, a lower and an upper case letter and a symbol.
  const password = () => `Pw-${randomBytes(9).toString('base64url')}-7!`;
  const people = [
    {
      username: 'teacher',
      firstname: 'Grace',
      lastname: 'Hopper',
      email: 'grace@example.edu',
      role: 'teacher',
      idnumber: 'T-0003',
    },
    {
      username: 'ada',
      firstname: 'Ada',
      lastname: 'Lovelace',
      email: 'ada@example.edu',
      role: 'student',
      idnumber: 'S-0042',
    },
    {
      username: 'alan',
      firstname: 'Alan',
      lastname: 'Turing',
      email: 'alan@example.edu',
      role: 'student',
      idnumber: 'S-0043',
    },
  ].map((p) => ({ ...p, password: password() }));
  const tool = toolAt(`http://127.0.0.1:${toolPort}`);
  const made = await running.site<{
    details: SiteDetails;
    users: Record<string, number>;
    courseid: number;
    cmid: number;
  }>('setup', {
    tool,
    users: people,
    course: { fullname: 'Introduction to Assessment', shortname: 'ABC101', activity: 'Exam 1' },
  });
  const crossDetails = await running.site<SiteDetails>('add-type', {
    tool: toolAt(`http://localhost:${crossSitePort}`, { name: 'Inspera (cross-site)', launchContainer: 'embed' }),
  });
  const crossActivity = await running.site<{ cmid: number }>('add-activity', {
    courseid: made.courseid,
    typeid: crossDetails.typeid,
    name: 'Exam 1 (embedded)',
  });
  const keysDir = join(running.root, 'keys');
  await mkdir(keysDir, { recursive: true });
  const person = (username: string): Person => ({
    username,
    password: people.find((p) => p.username === username)!.password,
    id: made.users[username]!,
  });
  const info: MoodleInfo = {
    wwwroot: running.wwwroot,
    release: running.release,
    phpIni: running.phpIni,
    codeDir: running.codeDir,
    configPath: running.configPath,
    root: running.root,
    keysDir,
    toolPort,
    details: made.details,
    courseid: made.courseid,
    cmid: made.cmid,
    crossSitePort,
    crossSite: { details: crossDetails, cmid: crossActivity.cmid },
    users: { teacher: person('teacher'), ada: person('ada'), alan: person('alan') },
    toolSettings: tool,
  };
  return info;
}
