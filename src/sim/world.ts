import { moodleRelease, NEWEST_RELEASE, type MoodleRelease } from '../moodle/versions.js';
/**
 * The small Moodle site the embedded platform plays: one course, one LTI activity, a few users. Ids are shaped like
 * Moodle's (numeric, sent as strings); nothing here is real user data.
 */
export type Persona = 'learner' | 'instructor' | 'admin';

export interface MoodleUser {
  id: number;
  username: string;
  givenName: string;
  familyName: string;
  email: string;
  idnumber: string;
  /** learner = student enrolment; instructor = editingteacher (has mod/lti:manage); admin = site admin. */
  persona: Persona;
}

export interface MoodleCourse {
  id: number;
  shortname: string;
  fullname: string;
  idnumber: string;
}

export interface LtiActivity {
  /** Course module id (launch.php?id=). */
  cmid: number;
  /** mod_lti instance id (the resource_link id). */
  instanceId: number;
  name: string;
  intro: string;
  /** The activity's own grade item id, used in the AGS lineitem URL. */
  gradeItemId: number;
  gradeMax: number;
  /** Custom parameters set on the activity by the teacher (tool-level ones win). */
  customParameters: string;
  /** "Accept grades from the tool" ticked on the activity (matters only when the tool says Delegate). */
  acceptGradesTicked: boolean;
  /** "Share launcher's name / email with the tool" ticked on the activity (matters only under Delegate). */
  shareNameTicked: boolean;
  shareEmailTicked: boolean;
}

export interface World {
  siteName: string;
  siteFullName: string;
  /** The Moodle release this world's site runs: what it reports, and how it behaves on the LTI wire. */
  moodle: MoodleRelease;
  course: MoodleCourse;
  activity: LtiActivity;
  users: MoodleUser[];
}

export function defaultWorld(): World {
  return {
    siteName: 'Example University',
    siteFullName: 'Example University Moodle',
    moodle: moodleRelease(NEWEST_RELEASE),
    course: { id: 7, shortname: 'ABC101', fullname: 'Introduction to Assessment', idnumber: '' },
    activity: {
      cmid: 12,
      instanceId: 4,
      name: 'Exam 1',
      intro: 'Final exam, taken in Inspera.',
      gradeItemId: 55,
      gradeMax: 100,
      customParameters: '',
      acceptGradesTicked: false,
      shareNameTicked: false,
      shareEmailTicked: false,
    },
    users: [
      {
        id: 2,
        username: 'admin',
        givenName: 'Admin',
        familyName: 'User',
        email: 'admin@example.edu',
        idnumber: '',
        persona: 'admin',
      },
      {
        id: 3,
        username: 'teacher',
        givenName: 'Grace',
        familyName: 'Hopper',
        email: 'grace@example.edu',
        idnumber: 'T-0003',
        persona: 'instructor',
      },
      {
        id: 42,
        username: 'ada',
        givenName: 'Ada',
        familyName: 'Lovelace',
        email: 'ada@example.edu',
        idnumber: 'S-0042',
        persona: 'learner',
      },
      {
        id: 43,
        username: 'alan',
        givenName: 'Alan',
        familyName: 'Turing',
        email: 'alan@example.edu',
        idnumber: 'S-0043',
        persona: 'learner',
      },
    ],
  };
}

export function userFor(world: World, selector: { persona?: Persona; user?: string }): MoodleUser | undefined {
  if (selector.user !== undefined)
    return world.users.find((u) => String(u.id) === selector.user || u.username === selector.user);
  return world.users.find((u) => u.persona === (selector.persona ?? 'learner'));
}
