import { InsperaLtiError } from '../errors.js';

/**
 * Moodle releases as the LTI wire sees them: the one place that knows what differs between versions. Everything
 * else asks this module (no other code compares version strings). Each row says where it comes from: "observed" on a
 * real installation (../shared/docs/moodle-versions.md: 4.2.1, 4.5.6, 5.0.6+), "source" read in that branch of
 * moodle/moodle, or "assumed" from the neighbouring releases when neither was possible.
 */

/** How Moodle sets its session cookie's SameSite attribute (core\session\manager). */
export type SessionSameSite = 'none-for-chrome' | 'lax';

export interface LtiWire {
  /**
   * Before MDL-83526: SameSite=None for Chrome 78+ over https (should_use_samesite_none), no attribute otherwise —
   * which Chrome treats as Lax. From 4.5.12, 5.0.8, 5.1.5 and 5.2.1: SameSite=Lax for every browser.
   */
  sessionSameSite: SessionSameSite;
  /** MoodleSession and MOODLEID1_ carry HttpOnly (4.2.1 observed without it). */
  cookiesHttpOnly: boolean;
  /** launch.php without a session: the login-initiation form with login_hint=0 (4.x), or 303 to the login page. */
  launchWithoutSession: 'initiation-form' | 'login-redirect';
  /** token.php's clock errors: php-jwt ≥ 6.8.1 names iat or nbf; older php-jwt says "Cannot handle token prior to". */
  tokenTimeMessages: 'iat-or-nbf' | 'one-for-both';
  /** A score's grade time: the server's time (4.2), or the score's own timestamp (dategraded = timemodified). */
  scoreTime: 'server-time' | 'score-timestamp';
  /**
   * Page titles: 4.2's ("Error", "ABC101: Exam 1", "<site>: Log in to the site"), or with the site name last
   * ("Error | <site>", "ABC101: Exam 1 | <site>", "Log in to the site | <site>").
   */
  pageTitles: 'plain' | 'with-site';
  /** A login POST refused (no logintoken): 303 to /login/index.php (4.2), or to ?loginredirect=1. */
  refusedLogin: 'login-page' | 'loginredirect';
  /** view.php's Embed iframe: its allow list ends with ";" (5.0). */
  iframeAllowEndsWithSemicolon: boolean;
  /**
   * The login page after a wrong password: 'invalidlogin' ("Invalid login, please try again"), or 5.2's bold
   * 'logininvalidlogintitle' above 'logininvalidlogindetail' (auth/classes/output/login.php, set_error()).
   */
  loginError: 'invalid-login' | 'title-and-detail';
  /** "Access as a guest" on the login page of a new install ($CFG->guestloginbutton's default: 1, or 0 in 5.2). */
  guestLoginButton: 'shown' | 'hidden';
}

export type Provenance = 'observed' | 'source' | 'assumed';

export interface MoodleLine {
  /** The release line as people say it: "4.5 (4.5.0–4.5.11)". */
  name: string;
  major: number;
  minor: number;
  /** The point releases covered: 0 to 11, 12 and later (undefined = no end). */
  fromPoint: number;
  toPoint?: number;
  /** $version's branching date (YYYYMMDD), the first eight digits of tool_platform.version. */
  branchDate: number;
  /** The point release the embedded platform plays for this line. */
  plays: number;
  wire: LtiWire;
  /** Where each row comes from, with the file and branch. */
  sources: Record<keyof LtiWire, { how: Provenance; where: string }>;
}

const BEFORE_83526: Pick<LtiWire, 'sessionSameSite'> = { sessionSameSite: 'none-for-chrome' };
const AFTER_83526: Pick<LtiWire, 'sessionSameSite'> = { sessionSameSite: 'lax' };
const LIKE_42: Omit<LtiWire, 'sessionSameSite'> = {
  cookiesHttpOnly: false,
  launchWithoutSession: 'initiation-form',
  tokenTimeMessages: 'one-for-both',
  scoreTime: 'server-time',
  pageTitles: 'plain',
  refusedLogin: 'login-page',
  iframeAllowEndsWithSemicolon: false,
  loginError: 'invalid-login',
  guestLoginButton: 'shown',
};
const LIKE_45: Omit<LtiWire, 'sessionSameSite'> = {
  cookiesHttpOnly: true,
  launchWithoutSession: 'initiation-form',
  tokenTimeMessages: 'iat-or-nbf',
  scoreTime: 'score-timestamp',
  pageTitles: 'with-site',
  refusedLogin: 'loginredirect',
  iframeAllowEndsWithSemicolon: false,
  loginError: 'invalid-login',
  guestLoginButton: 'shown',
};
const LIKE_50: Omit<LtiWire, 'sessionSameSite'> = {
  ...LIKE_45,
  launchWithoutSession: 'login-redirect',
  iframeAllowEndsWithSemicolon: true,
};
/** What the real-Moodle suite's 5.2.1+ showed (the same as 5.0.6+ on every other row). */
const LIKE_52: Omit<LtiWire, 'sessionSameSite'> = {
  ...LIKE_50,
  loginError: 'title-and-detail',
  guestLoginButton: 'hidden',
};

const MDL_83526 = 'MDL-83526 (MOODLE_405_STABLE f6090cf2; lib/classes/session/manager.php)';
const SAMESITE_NONE = 'should_use_samesite_none(), lib/classes/session/manager.php';

function sources(
  how: Record<keyof LtiWire, Provenance>,
  where: Partial<Record<keyof LtiWire, string>>,
  release: string,
): MoodleLine['sources'] {
  const rows = Object.keys(how) as Array<keyof LtiWire>;
  return Object.fromEntries(
    rows.map((row) => [row, { how: how[row], where: where[row] ?? `${how[row]} on ${release}` }]),
  ) as MoodleLine['sources'];
}

const OBSERVED = {
  sessionSameSite: 'source',
  cookiesHttpOnly: 'observed',
  launchWithoutSession: 'observed',
  tokenTimeMessages: 'observed',
  scoreTime: 'observed',
  pageTitles: 'observed',
  refusedLogin: 'observed',
  iframeAllowEndsWithSemicolon: 'observed',
  loginError: 'observed',
  guestLoginButton: 'observed',
} as const satisfies Record<keyof LtiWire, Provenance>;
const ASSUMED = {
  sessionSameSite: 'source',
  cookiesHttpOnly: 'assumed',
  launchWithoutSession: 'assumed',
  tokenTimeMessages: 'assumed',
  scoreTime: 'assumed',
  pageTitles: 'assumed',
  refusedLogin: 'assumed',
  iframeAllowEndsWithSemicolon: 'assumed',
  loginError: 'assumed',
  guestLoginButton: 'assumed',
} as const satisfies Record<keyof LtiWire, Provenance>;

/** Every release line the project knows, oldest first. */
export const MOODLE_LINES: readonly MoodleLine[] = [
  {
    name: '4.1',
    major: 4,
    minor: 1,
    fromPoint: 0,
    branchDate: 20221128,
    plays: 20,
    wire: { ...BEFORE_83526, ...LIKE_42 },
    sources: sources(ASSUMED, { sessionSameSite: SAMESITE_NONE }, 'the 4.2.1 installation'),
  },
  {
    name: '4.2',
    major: 4,
    minor: 2,
    fromPoint: 0,
    branchDate: 20230424,
    plays: 1,
    wire: { ...BEFORE_83526, ...LIKE_42 },
    sources: sources(
      { ...OBSERVED, scoreTime: 'source' },
      {
        sessionSameSite: SAMESITE_NONE,
        scoreTime: 'MOODLE_402_STABLE mod/lti/service/gradebookservices: no dategraded passed',
        tokenTimeMessages: 'php-jwt 6.4.0 (lib/php-jwt), observed on 4.2.1',
      },
      '4.2.1',
    ),
  },
  {
    name: '4.3',
    major: 4,
    minor: 3,
    fromPoint: 0,
    branchDate: 20231009,
    plays: 14,
    wire: { ...BEFORE_83526, ...LIKE_45 },
    sources: sources(ASSUMED, { sessionSameSite: SAMESITE_NONE }, 'the 4.5.6 installation'),
  },
  {
    name: '4.4',
    major: 4,
    minor: 4,
    fromPoint: 0,
    branchDate: 20240422,
    plays: 10,
    wire: { ...BEFORE_83526, ...LIKE_45 },
    sources: sources(ASSUMED, { sessionSameSite: SAMESITE_NONE }, 'the 4.5.6 installation'),
  },
  {
    name: '4.5',
    major: 4,
    minor: 5,
    fromPoint: 0,
    toPoint: 11,
    branchDate: 20241007,
    plays: 6,
    wire: { ...BEFORE_83526, ...LIKE_45 },
    sources: sources(
      { ...OBSERVED, scoreTime: 'source' },
      {
        sessionSameSite: `${SAMESITE_NONE} (4.5.6)`,
        scoreTime: '4.5.6 mod/lti/service/gradebookservices/classes/local/service/gradebookservices.php',
      },
      '4.5.6',
    ),
  },
  {
    name: '4.5',
    major: 4,
    minor: 5,
    fromPoint: 12,
    branchDate: 20241007,
    plays: 12,
    wire: { ...AFTER_83526, ...LIKE_45 },
    sources: sources(
      { ...OBSERVED, sessionSameSite: 'source' },
      { sessionSameSite: MDL_83526 },
      '4.5.6 (nothing else changed on the wire in MDL-83526)',
    ),
  },
  {
    name: '5.0',
    major: 5,
    minor: 0,
    fromPoint: 0,
    toPoint: 5,
    branchDate: 20250414,
    plays: 5,
    wire: { ...BEFORE_83526, ...LIKE_50, launchWithoutSession: 'initiation-form' },
    sources: sources(
      { ...OBSERVED, loginError: 'assumed' },
      {
        sessionSameSite: SAMESITE_NONE,
        launchWithoutSession:
          "observed on 5.0.1+ (4.5's order: lti_initiate_login before require_login); the 5.0.0 source too",
      },
      '5.0.6+',
    ),
  },
  {
    name: '5.0',
    major: 5,
    minor: 0,
    fromPoint: 6,
    toPoint: 7,
    branchDate: 20250414,
    plays: 6,
    wire: { ...BEFORE_83526, ...LIKE_50 },
    sources: sources(
      { ...OBSERVED, loginError: 'assumed' },
      {
        sessionSameSite: SAMESITE_NONE,
        launchWithoutSession:
          'observed on 5.0.6+ (Build 20260403: require_login before lti_initiate_login in mod/lti/launch.php); ' +
          'it landed between 2026-02-27 and 2026-04-03 — whether in 5.0.6 itself or only in its weekly builds is ' +
          'not known',
      },
      '5.0.6+',
    ),
  },
  {
    name: '5.0',
    major: 5,
    minor: 0,
    fromPoint: 8,
    branchDate: 20250414,
    plays: 8,
    wire: { ...AFTER_83526, ...LIKE_50 },
    sources: sources(
      { ...OBSERVED, sessionSameSite: 'source', loginError: 'assumed' },
      { sessionSameSite: MDL_83526 },
      '5.0.6+',
    ),
  },
  {
    name: '5.1',
    major: 5,
    minor: 1,
    fromPoint: 0,
    toPoint: 3,
    branchDate: 20251006,
    plays: 3,
    wire: { ...BEFORE_83526, ...LIKE_50, launchWithoutSession: 'initiation-form' },
    sources: sources(
      { ...ASSUMED, launchWithoutSession: 'observed' },
      {
        sessionSameSite: SAMESITE_NONE,
        launchWithoutSession: "observed on 5.1.0 and 5.1.3+ (4.5's order: the login-initiation form, login_hint=0)",
      },
      'the 5.0.6+ installation',
    ),
  },
  {
    name: '5.1',
    major: 5,
    minor: 1,
    fromPoint: 4,
    toPoint: 4,
    branchDate: 20251006,
    plays: 4,
    wire: { ...BEFORE_83526, ...LIKE_50 },
    sources: sources(
      ASSUMED,
      {
        sessionSameSite: SAMESITE_NONE,
        launchWithoutSession: 'assumed: the move (5.0.6+, 5.2.1+) after 5.1.3+ — in which 5.1.x it landed is not known',
      },
      'the 5.0.6+ installation',
    ),
  },
  {
    name: '5.1',
    major: 5,
    minor: 1,
    fromPoint: 5,
    branchDate: 20251006,
    plays: 5,
    wire: { ...AFTER_83526, ...LIKE_50 },
    sources: sources(ASSUMED, { sessionSameSite: MDL_83526 }, 'the 5.0.6+ installation'),
  },
  {
    name: '5.2',
    major: 5,
    minor: 2,
    fromPoint: 0,
    toPoint: 0,
    branchDate: 20260420,
    plays: 0,
    wire: { ...BEFORE_83526, ...LIKE_52 },
    sources: sources(ASSUMED, { sessionSameSite: SAMESITE_NONE }, 'the 5.2.1+ installation'),
  },
  {
    name: '5.2',
    major: 5,
    minor: 2,
    fromPoint: 1,
    branchDate: 20260420,
    plays: 1,
    wire: { ...AFTER_83526, ...LIKE_52 },
    sources: sources(
      { ...OBSERVED, sessionSameSite: 'observed', scoreTime: 'source' },
      {
        sessionSameSite: `${MDL_83526}; observed on 5.2.1+ (SameSite=Lax over http too)`,
        loginError: 'observed on 5.2.1+; source: public/auth/classes/output/login.php set_error()',
        guestLoginButton: 'observed on 5.2.1+; source: public/admin/settings/login.php (default 0)',
      },
      '5.2.1+ (the real-Moodle suite)',
    ),
  },
  {
    // 5.3 (LTS, 5 Oct 2026): its $version branching date 20261005 is from a plugin's release notes, not Moodle's own
    // version.php (not read here); its wire is assumed to be 5.2.1+'s, MDL-83526 included.
    name: '5.3',
    major: 5,
    minor: 3,
    fromPoint: 0,
    branchDate: 20261005,
    plays: 0,
    wire: { ...AFTER_83526, ...LIKE_52 },
    sources: sources(ASSUMED, { sessionSameSite: MDL_83526 }, 'the 5.2.1+ installation'),
  },
];

/** One Moodle release: the line it belongs to and its numbers, as the embedded platform reports them. */
export interface MoodleRelease {
  line: MoodleLine;
  /** "4.5.6" */
  number: string;
  /** $CFG->release: "4.5.6 (Build: 20250811)". */
  release: string;
  /** $CFG->version as the id_token's tool_platform.version: "2024100706". */
  version: string;
}

/** The releases the real-Moodle suite compares the embedded platform with, exchange by exchange. */
export const COMPARED_RELEASES: readonly string[] = ['4.5.6', '5.2.1'];

/** The release the embedded platform plays unless told otherwise: the one the real-Moodle suite checks it against. */
export const CHECKED_RELEASE = '4.5.6';
/** The newest release the project imitates: the default of --moodle-version. */
export const NEWEST_RELEASE = '5.2.1';

const BUILD_DATES: Record<string, string> = { '4.5.6': '20250811', '4.2.1': '20230612' };

function lineLabel(line: MoodleLine): string {
  const base = `${line.major}.${line.minor}`;
  if (line.toPoint === undefined) return line.fromPoint === 0 ? base : `${base}.${line.fromPoint} and later`;
  return line.fromPoint === line.toPoint ? `${base}.${line.fromPoint}` : `${base}.${line.fromPoint}–${line.toPoint}`;
}

export function describeLine(line: MoodleLine): string {
  return lineLabel(line);
}

function releaseOf(line: MoodleLine, point: number): MoodleRelease {
  const number = `${line.major}.${line.minor}.${point}`;
  const build = BUILD_DATES[number] ?? String(line.branchDate);
  return {
    line,
    number,
    release: `${number} (Build: ${build})`,
    version: `${line.branchDate}${String(point).padStart(2, '0')}`,
  };
}

function lineFor(major: number, minor: number, point: number): MoodleLine | undefined {
  return MOODLE_LINES.find(
    (l) =>
      l.major === major && l.minor === minor && point >= l.fromPoint && (l.toPoint === undefined || point <= l.toPoint),
  );
}

/** The releases --moodle-version names in its help: each line's played release. */
export function knownReleases(): string[] {
  return MOODLE_LINES.map((line) => `${line.major}.${line.minor}.${line.plays}`);
}

/**
 * What --moodle-version names: "4.5.6", "5.1.5", "5.0.6+" (a weekly build), or "4.5" (the newest of that line the
 * project knows). Unknown releases are refused with the ones it knows.
 */
export function moodleRelease(text: string, where = '--moodle-version'): MoodleRelease {
  const match = /^\s*(\d+)\.(\d+)(?:\.(\d+))?\+?\s*$/.exec(text);
  const major = Number(match?.[1]);
  const minor = Number(match?.[2]);
  const lines = MOODLE_LINES.filter((l) => l.major === major && l.minor === minor);
  if (!match || lines.length === 0) {
    throw new InsperaLtiError(
      'INVALID_VALUE',
      `${where} ${JSON.stringify(text)}: not a Moodle release the embedded platform imitates`,
      `give one of ${[...new Set(MOODLE_LINES.map((l) => `${l.major}.${l.minor}`))].join(', ')}, ` +
        `with a point release where it matters (e.g. 4.5.6 or 4.5.12)`,
    );
  }
  const point = match[3] === undefined ? lines.at(-1)!.plays : Number(match[3]);
  return releaseOf(lineFor(major, minor, point) ?? lines.at(-1)!, point);
}

/**
 * The release a $CFG->version names (tool_platform.version, "2024100706" or a weekly "2025041406.11"): the branching
 * date picks the line, the two digits after it the point release. Undefined for a number of no known line.
 */
export function releaseFromVersionNumber(version: string): MoodleRelease | undefined {
  const match = /^(\d{8})(\d{2})(?:\.\d+)?$/.exec(version.trim());
  if (!match) return undefined;
  const date = Number(match[1]);
  const point = Number(match[2]);
  const branch = [...MOODLE_LINES].reverse().find((l) => l.branchDate <= date);
  if (!branch || date !== branch.branchDate) return undefined;
  const line = lineFor(branch.major, branch.minor, point);
  return line ? releaseOf(line, point) : undefined;
}

/** The release a $CFG->release names ("4.5.6 (Build: 20250811)", "5.0.6+ (Build: 20260403)"). */
export function releaseFromReleaseText(text: string): MoodleRelease | undefined {
  const match = /^\s*(\d+\.\d+(?:\.\d+)?\+?)/.exec(text);
  if (!match) return undefined;
  try {
    return moodleRelease(match[1]!);
  } catch {
    return undefined;
  }
}

/** The first releases whose session cookie is SameSite=Lax (MDL-83526): "4.5.12, 5.0.8, 5.1.5, 5.2.1 and later". */
export function laxReleases(): string {
  const first = MOODLE_LINES.filter((l) => l.wire.sessionSameSite === 'lax').map(
    (l) => `${l.major}.${l.minor}.${l.fromPoint}`,
  );
  return `${first.join(', ')} and later`;
}

/**
 * MDL-83423 (4.4.5 and 4.5.1, Dec 2024; facts: shared moodle-versions.md): Moodle fills in a missing `alg` of the
 * tool keyset's keys (jwks_helper::fix_jwks_alg, in the 4.5.6 source); before it, token.php's JWT decoding fails on
 * such a key. By release number; 4.5.6 and 5.2.1+ were checked to fill it in.
 */
export function fillsMissingKeyAlg(release: MoodleRelease): boolean {
  const [major = 0, minor = 0, point = 0] = release.number.split('.').map((n) => Number.parseInt(n, 10));
  if (major !== 4) return major > 4;
  if (minor !== 4 && minor !== 5) return minor > 5;
  return point >= (minor === 4 ? 5 : 1);
}

/** The release's number as [major, minor, point]. */
function numbers(release: MoodleRelease): [number, number, number] {
  const [major = 0, minor = 0, point = 0] = release.number.split('.').map((n) => Number.parseInt(n, 10));
  return [major, minor, point];
}

/** Whether a release is at or after the first fixed point release of its branch; later branches all are. */
function fixedSince(release: MoodleRelease, first: Readonly<Record<string, number>>, fromBranch: string): boolean {
  const [major, minor, point] = numbers(release);
  const branch = `${major}.${minor}`;
  if (branch in first) return point >= first[branch]!;
  const [fromMajor = 0, fromMinor = 0] = fromBranch.split('.').map(Number);
  return major > fromMajor || (major === fromMajor && minor >= fromMinor);
}

/**
 * MDL-87258 (4.5.9, 5.0.5, 5.1.2; Feb 2026; the shared facts): view.php adds `local-network-access` to the Embed
 * iframe's allow list when config.php sets `$CFG->ltiallowlocalnetwork` — in the 5.2.1+ source, not in 4.5.6's.
 */
export function offersLocalNetworkSetting(release: MoodleRelease): boolean {
  return fixedSince(release, { '4.5': 9, '5.0': 5, '5.1': 2 }, '5.2');
}

/**
 * Until when each branch gets security fixes, from Moodle's published version table (the shared facts,
 * moodle-versions.md, read in Dec 2026): a site past its date is said to get none — a note, never a failure.
 * 4.2 and 4.3 ended long before 4.1 did; their dates are not recorded (undefined: past, with no date said).
 */
const SECURITY_FIXES_UNTIL: Readonly<Record<string, string | undefined>> = {
  '4.1': '2025-12-08',
  '4.2': undefined,
  '4.3': undefined,
  '4.4': '2025-12-08',
  '4.5': '2027-10-04',
  '5.0': '2026-10-05',
  '5.1': '2027-04-19',
  '5.2': '2027-10-04',
  '5.3': '2029-10-01',
};

/** Whether a release's branch still gets security fixes on `today`, said for a person; undefined for an unknown one. */
export function securitySupport(release: MoodleRelease, today: Date = new Date()): string | undefined {
  const branch = `${release.line.major}.${release.line.minor}`;
  if (!(branch in SECURITY_FIXES_UNTIL)) return undefined;
  const until = SECURITY_FIXES_UNTIL[branch];
  if (until === undefined) return `Moodle ${branch} gets no security fixes any more`;
  const day = new Date(`${until}T00:00:00Z`).toUTCString().slice(5, 16);
  return today.getTime() > new Date(`${until}T23:59:59Z`).getTime()
    ? `Moodle ${branch} gets no security fixes since ${day}: an update is due (a note, not a cause of failure)`
    : `Moodle ${branch} gets security fixes until ${day}`;
}
