import { describe, expect, it } from 'vitest';
import { runDoctor } from '../../src/doctor/doctor.js';
import type { ListedTool } from '../../src/moodle/admin/stored-tools.js';
import { pattern } from '../helpers/pattern.js';
import { demoConfig } from '../helpers/sim.js';
import { storedTool } from '../helpers/stored-tool.js';

const tool = (id: number, clientId: string, name = 'Inspera Assessment') => storedTool({ id, clientId, name });
const listed = (id: number, clientid: string, courseid = 0): ListedTool => ({
  id,
  name: 'Inspera Assessment',
  platformid: 'https://moodle.example.edu',
  clientid,
  deploymentid: id,
  courseid,
  state: { text: 'Active', pending: false, configured: true, rejected: false, unknown: false },
  urls: { publickeyset: '', accesstoken: '', authrequest: '' },
});

describe('doctor --moodle with a second tool on the tenant\u2019s domain', () => {
  it('names the duplicate as the cause, and never asks to register its ids in place of the working one', async () => {
    const config = demoConfig();
    const recorded = config.platform.clientId!;
    const result = await runDoctor({
      config,
      moodle: {
        wwwroot: 'https://moodle.example.edu',
        listed: [listed(3, recorded), listed(9, 'CourseCopy12345', 2)],
        // As the reading attaches it: the course tool with its course's short name (course/edit.php).
        stored: [
          tool(3, recorded),
          { ...tool(9, 'CourseCopy12345', 'Inspera (copy)'), course: { id: 2, shortname: 'ABC101' } },
        ],
        chosenBy: 'the tools on university.inspera.com',
      },
    });
    const causes = result.problems.map((p) => p.cause.id);
    expect(causes).not.toContain('client-id');
    expect(causes).not.toContain('deployment-id');
    const duplicate = result.problems.find((p) => p.cause.id === 'tool-setting')!;
    expect(duplicate.findings[0]!.finding).toMatch(
      pattern(
        /2 tools point at university\.inspera\.com \(ids 3, 9\): tool 3 "Inspera Assessment" \(site tool\) holds /,
        /the recorded Client ID .*; tool 9 "Inspera \(copy\)" \(course tool of ABC101, course 2; teachers manage it /,
      ),
    );
    expect(duplicate.findings[0]!.fix).toMatchObject({
      system: 'Moodle',
      action: expect.stringMatching(
        /^delete \(or hide\) the extra tool.*or register it in Inspera as a further deployment/,
      ),
    });
  });
});
