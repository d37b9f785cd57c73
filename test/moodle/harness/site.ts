import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { inject } from 'vitest';
import { releaseFromReleaseText, type MoodleRelease } from '../../../src/moodle/versions.js';
import { SITE_SCRIPT } from './moodle.js';

const run = promisify(execFile);

export interface Person {
  username: string;
  password: string;
  id: number;
}

export interface SiteDetails {
  typeid: number;
  platformid: string;
  clientid: string;
  deploymentid: string;
  publickeyseturl: string;
  accesstokenurl: string;
  authrequesturl: string;
}

/** What the global setup made, handed to every test file. */
export interface MoodleInfo {
  wwwroot: string;
  release: string;
  /** php -d settings for this Moodle's scripts (the harness's). */
  phpIni: string[];
  codeDir: string;
  configPath: string;
  /** The suite's temp folder (Moodle, its database, keys). */
  root: string;
  keysDir: string;
  /** The Inspera tool type: its tool at http://127.0.0.1:<toolPort>, launch container New window. */
  toolPort: number;
  details: SiteDetails;
  courseid: number;
  cmid: number;
  /** A second tool type at http://localhost:<crossSitePort> (another site than Moodle's 127.0.0.1), Embed. */
  crossSitePort: number;
  crossSite: { details: SiteDetails; cmid: number };
  users: { teacher: Person; ada: Person; alan: Person };
  toolSettings: Record<string, unknown>;
}

declare module 'vitest' {
  export interface ProvidedContext {
    moodle: MoodleInfo;
  }
}

export function moodle(): MoodleInfo {
  return inject('moodle');
}

/** Run one command of site.php (Moodle's own code, as the admin would through the UI). */
export async function site<T = Record<string, unknown>>(command: string, input: unknown): Promise<T> {
  const info = moodle();
  const { stdout } = await run('php', [...info.phpIni, SITE_SCRIPT, command, JSON.stringify(input)], {
    cwd: info.codeDir,
    env: { ...process.env, MOODLE_CONFIG: info.configPath },
  });
  return JSON.parse(stdout) as T;
}

/** The release this suite's Moodle runs, as the version model names it ("4.5.6", "5.2.1"). */
export function playedRelease(): MoodleRelease {
  const release = releaseFromReleaseText(moodle().release);
  if (!release) throw new Error(`the version model does not know Moodle ${moodle().release}`);
  return release;
}

/**
 * What a test expects where the releases differ, by release line ("4.5", "5.2"): each test names the releases it
 * knows, and a Moodle of another line fails loudly rather than being judged by another's values.
 */
export function byLine<T>(values: Record<string, T>): T {
  const line = playedRelease().number.split('.').slice(0, 2).join('.');
  if (!(line in values))
    throw new Error(`no expectation for Moodle ${line} (known: ${Object.keys(values).join(', ')})`);
  return values[line]!;
}

/** The tool settings the seed recommends, pointing at a tool at this origin. */
export function toolAt(origin: string, changes: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Inspera Assessment',
    toolUrl: `${origin}/ltiprovider/launch`,
    keysetUrl: `${origin}/ICSXapi/metadata/PublicCertificates`,
    loginInitUrl: `${origin}/ltiprovider/init`,
    redirectUrls: [`${origin}/ltiprovider/launch`],
    customParameters: 'enroll_candidates=true\nskip_incomplete_members=true\nuse_template_on_create=true',
    launchContainer: 'new-window',
    shareName: 'always',
    shareEmail: 'always',
    acceptGrades: 'always',
    ags: 2,
    nrps: 1,
    ...changes,
  };
}
