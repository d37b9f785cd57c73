import { InsperaLtiError } from '../../errors.js';
import type { AGS_LEVELS, LAUNCH_CONTAINERS, PRIVACY_OPTIONS } from '../../moodle/settings.js';
export interface SimulateFlags {
  moodleVersion?: string;
  quiet?: boolean;
  verbose?: boolean;
  persona?: 'learner' | 'instructor' | 'admin';
  user?: string;
  course?: string;
  activity?: string;
  custom?: string[];
  ags?: keyof typeof AGS_LEVELS;
  nrps?: boolean;
  shareName?: keyof typeof PRIVACY_OPTIONS;
  shareEmail?: keyof typeof PRIVACY_OPTIONS;
  acceptGrades?: keyof typeof PRIVACY_OPTIONS;
  launchContainer?: keyof typeof LAUNCH_CONTAINERS;
  scenario?: string;
  /** With --scenario: the exit code says whether it reproduced its failure, not whether the launch worked. */
  expect?: 'reproduced';
  listScenarios?: boolean;
  toolLoginUrl?: string;
  toolLaunchUrl?: string;
  toolKeysetUrl?: string;
  platformUrl?: string;
  username?: string;
  passwordFile?: string;
  usersFile?: string;
  clientId?: string;
  deploymentId?: string;
  cmid?: string;
  toolPort?: string;
  toolBaseUrl?: string;
  nrpsPageSize?: string;
  wait?: string;
  platformPort?: string;
  leeway?: string;
  score?: string;
  count?: string;
  rate?: string;
  duration?: string;
  yesLoadTest?: boolean;
  concurrency?: string;
  timeout?: string;
  reporter?: 'human' | 'json' | 'junit';
  har?: string;
  report?: string;
  blockThirdPartyCookies?: boolean;
  output?: string;
  json?: boolean;
  config?: string;
  color?: boolean;
}

/** Flags that cannot go together, or that name a side the run does not have: refused before anything starts. */
export function refuseUnusableFlags(flags: SimulateFlags): void {
  const toolUrls = [flags.toolLoginUrl, flags.toolLaunchUrl, flags.toolKeysetUrl];
  if (toolUrls.some((u) => u !== undefined) && toolUrls.some((u) => u === undefined)) {
    throw new InsperaLtiError(
      'MISSING_FLAG',
      'a real tool needs all of --tool-login-url, --tool-launch-url and --tool-keyset-url',
      'give the three URLs the tool documents',
    );
  }
  if (flags.toolLoginUrl !== undefined && flags.platformUrl !== undefined) {
    throw new InsperaLtiError(
      'USAGE',
      '--tool-login-url with --platform-url: a real platform decides ' +
        'which tool its activity launches into, so the tool URLs would ' +
        'not be used',
      "drop the --tool-*-url flags: the run follows the activity's " +
        'launch to whatever tool it uses (the embedded one on --tool-port ' +
        "when that is the one registered), and judges that tool's answer",
    );
  }
  if (flags.wait !== undefined && !flags.toolLoginUrl) {
    throw new InsperaLtiError(
      'USAGE',
      '--wait is for a grade an external tool posts itself',
      "add the tool's --tool-login-url, --tool-launch-url and " +
        '--tool-keyset-url, or drop --wait (the embedded tool posts at ' +
        'once)',
    );
  }
  const platformOnly = {
    '--tool-port': flags.toolPort,
    '--tool-base-url': flags.toolBaseUrl,
    '--cmid': flags.cmid,
    '--username': flags.username,
    '--client-id': flags.clientId,
    '--deployment-id': flags.deploymentId,
  };
  const stray = Object.entries(platformOnly).find(([, v]) => v !== undefined)?.[0];
  if (stray && flags.platformUrl === undefined) {
    throw new InsperaLtiError(
      'USAGE',
      `${stray} is for a run against a platform of yours (--platform-url)`,
      'add --platform-url <wwwroot>, or drop the flag',
    );
  }
  if (flags.moodleVersion !== undefined && flags.platformUrl !== undefined)
    throw new InsperaLtiError(
      'USAGE',
      `--moodle-version ${flags.moodleVersion} sets the embedded platform's release; --platform-url is your Moodle, ` +
        'which runs the release it runs',
      'drop --moodle-version (or --platform-url)',
    );
}
