import { describe, expect, it } from 'vitest';
import { activityFrom, auditActivity } from '../../src/moodle/admin/activity.js';
import { storedTool } from '../helpers/stored-tool.js';

const TOOL = storedTool({ customParameters: 'enroll_candidates=true', shareEmail: 'delegate' });
const form = (values: Record<string, string>) =>
  activityFrom(12, { typeid: '3', launchcontainer: '1', instructorcustomparameters: '', ...values });
const byId = (results: ReturnType<typeof auditActivity>, id: string) => results.find((r) => r.id === id)!;

describe("an activity's own settings against its tool (doctor --moodle --cmid)", () => {
  it("a parameter the tool's value overrides is its own cause, fixed at the tool", () => {
    const custom = byId(
      auditActivity(form({ instructorcustomparameters: 'enroll_candidates=false' }), TOOL),
      'moodle.activity-custom',
    );
    expect(custom).toMatchObject({ status: 'warn', cause: { id: 'activity-parameter-overridden' } });
    expect(custom.finding).toContain("the tool's enroll_candidates=true wins");
    expect(custom.fix!.where).toMatch(/^Moodle: Site administration > .*Manage tools > \(edit the Inspera tool\)/);
    const course = byId(
      auditActivity(form({ instructorcustomparameters: 'enroll_candidates=false' }), {
        ...TOOL,
        course: { id: 7, shortname: 'ABC101' },
      }),
      'moodle.activity-custom',
    );
    expect(course.fix!.where).toMatch(/^Moodle: Course ABC101 \(course 7\) > More > LTI External tools/);
  });

  it('privacy delegated to the teacher: the tick of this activity where its form shows one, at its screen', () => {
    // A form that shows the choice (Moodle 4.2 and before).
    const unticked = byId(
      auditActivity(form({ instructorchoicesendemailaddr: '0' }), TOOL),
      'moodle.activity-shareEmail',
    );
    expect(unticked).toMatchObject({ status: 'warn', cause: { id: 'privacy' } });
    expect(unticked.fix).toMatchObject({
      where: 'Moodle: the activity (course/modedit.php?update=12) > Edit settings',
      field: "Share launcher's email with the tool",
    });
    expect(
      byId(auditActivity(form({ instructorchoicesendemailaddr: '1' }), TOOL), 'moodle.activity-shareEmail').status,
    ).toBe('pass');
    // 4.3+: the form shows no such choice — not checkable there, never read as unticked.
    expect(byId(auditActivity(form({}), TOOL), 'moodle.activity-shareEmail').status).toBe('skip');
    // Always at the tool: nothing is the teacher's to choose.
    expect(auditActivity(form({}), TOOL).some((r) => r.id === 'moodle.activity-shareName')).toBe(false);
  });

  it('an activity of another tool says so', () => {
    const other = byId(auditActivity(form({ typeid: '9' }), TOOL), 'moodle.activity-tool');
    expect(other).toMatchObject({ status: 'fail' });
    expect(other.finding).toBe('activity 12 launches through tool 9, not the Inspera tool 3');
  });
});
