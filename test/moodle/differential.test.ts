import { mkdir, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureKey } from '../helpers/sim.js';
import { compareExchanges, unexplained } from '../differential/compare.js';
import { COURSE, embeddedTarget } from '../differential/embedded.js';
import { runExchanges, type Target } from '../differential/exchanges.js';
import { FIXTURE_PATH } from '../differential/fixture.js';
import { moodle, playedRelease, site, toolAt } from './harness/site.js';

const toolKey = fixtureKey('tool');
let keyset: Server;
beforeAll(async () => {
  // The tool keyset Moodle downloads for token.php: the fixture tool key, on the tool type's registered port.
  keyset = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [toolKey.jwk] })),
  );
  await new Promise<void>((r) => keyset.listen(moodle().toolPort, '127.0.0.1', r));
});
afterAll(async () => {
  await site('update-type', { typeid: moodle().details.typeid, tool: moodle().toolSettings });
  await new Promise((r) => keyset.close(r));
});

/**
 * The script's own course and activity, so what other tests did on the site (grades, line items) is not in its answers.
 */
async function moodleTarget(): Promise<Target> {
  const info = moodle();
  const course = await site<{ courseid: number; cmid: number }>('add-course', {
    fullname: COURSE.fullname,
    shortname: COURSE.shortname,
    typeid: info.details.typeid,
    activity: 'Exam 1',
    users: [
      { id: info.users.teacher.id, role: 'teacher' },
      { id: info.users.ada.id, role: 'student' },
      { id: info.users.alan.id, role: 'student' },
    ],
  });
  const ids = await site<{ instanceid: number; gradeitemid: number }>('activity-ids', { cmid: course.cmid });
  const origin = `http://127.0.0.1:${info.toolPort}`;
  const person = (p: { id: number; password: string }) => ({ id: String(p.id), password: p.password });
  return {
    wwwroot: info.wwwroot,
    siteName: 'test',
    siteFullName: 'inspera-lti test Moodle',
    clientId: info.details.clientid,
    typeId: info.details.deploymentid,
    courseId: String(course.courseid),
    cmid: String(course.cmid),
    instanceId: String(ids.instanceid),
    gradeItemId: String(ids.gradeitemid),
    users: { ada: person(info.users.ada), alan: person(info.users.alan), teacher: person(info.users.teacher) },
    toolOrigin: origin,
    toolKey,
    otherKey: fixtureKey('other'),
    configureTool: async (changes) => {
      await site('update-type', { typeid: info.details.typeid, tool: toolAt(origin, { ...changes }) });
    },
  };
}

describe('the embedded platform answers like the real Moodle, exchange by exchange', () => {
  it('every scripted exchange, normalised, is the same (or a difference the docs explain)', async () => {
    const real = await runExchanges(await moodleTarget());
    if (process.env.RECORD_MOODLE_FIXTURES) {
      await mkdir(dirname(FIXTURE_PATH), { recursive: true });
      await writeFile(FIXTURE_PATH, JSON.stringify({ moodle: moodle().release, exchanges: real }, null, 2) + '\n');
    }
    const { target, platform } = await embeddedTarget(playedRelease().number);
    try {
      const ours = await runExchanges(target);
      const differences = compareExchanges(real, ours);
      const { unexpected, stale } = unexplained(differences);
      expect(stale, 'listed as known but no longer different').toEqual([]);
      expect(unexpected, `${unexpected.length} of ${real.length} exchanges differ`).toEqual([]);
    } finally {
      await platform.close();
    }
  });
});
