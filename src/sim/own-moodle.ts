import type { Config } from '../config/types.js';
import { InsperaLtiError } from '../errors.js';

/** A run against a Moodle of the user's (--platform-url), as its flags give it, already parsed. */
export interface OwnMoodleRequest {
  platformUrl: string;
  clientId?: string;
  deploymentId?: string;
  toolPort?: number;
  toolBaseUrl?: string;
  config: Config;
}

export interface OwnMoodleRun {
  platformId: string;
  clientId: string;
  deploymentId: string;
  toolPort?: number;
  toolBaseUrl?: string;
  /** Where the embedded tool answers, when that may not be where Moodle's tool points (said if the launch fails). */
  notes: string[];
}

/**
 * A run against a Moodle of the user's: the Client ID and Deployment ID Moodle shows for the tool (flags, else the
 * recorded six values of that same Moodle), and where the embedded tool answers — where the config's tenant points
 * when that is this machine, since Moodle's tool was set up for that address.
 */
export function ownMoodleRun(request: OwnMoodleRequest): OwnMoodleRun {
  const { config } = request;
  const notes: string[] = [];
  const platformId = request.platformUrl.replace(/\/+$/, '');
  const recorded = config.platform;
  const sameMoodle = recorded.platformId?.trim().replace(/\/+$/, '') === platformId;
  const clientId = request.clientId ?? (sameMoodle ? recorded.clientId : undefined);
  const deploymentId = request.deploymentId ?? (sameMoodle ? recorded.deploymentId : undefined);
  if (!clientId || !deploymentId) {
    const missing = [!clientId ? '--client-id' : '', !deploymentId ? '--deployment-id' : '']
      .filter(Boolean)
      .join(' and ');
    throw new InsperaLtiError(
      'MISSING_FLAG',
      `--platform-url needs ${missing}: ` +
        (recorded.platformId && !sameMoodle
          ? `the recorded values are of another Moodle (${recorded.platformId})`
          : 'none is recorded for this Moodle'),
      'give the values Moodle shows in the tool\'s "View configuration ' +
        'details", or record them (inspera-lti record) and run again',
    );
  }
  let toolPort = request.toolPort;
  let toolBaseUrl = request.toolBaseUrl?.replace(/\/+$/, '');
  const tenant = config.tool ? new URL(`${config.tool.scheme}://${config.tool.domain}`) : undefined;
  const tenantHere = tenant !== undefined && tenant.port !== '' && isLoopback(tenant.hostname);
  if (tenantHere && toolPort === undefined && toolBaseUrl === undefined) {
    toolPort = Number(tenant.port);
    toolBaseUrl = tenant.origin;
  }
  const runsAt = toolBaseUrl ?? (toolPort !== undefined ? `http://127.0.0.1:${toolPort}` : undefined);
  if (tenant && runsAt !== tenant.origin) {
    notes.push(
      `the embedded tool answers at ${runsAt ?? 'a free port of 127.0.0.1'}, ` +
        `but the config's tenant, for which Moodle's ` +
        `tool was set up, is ${tenant.origin}: Moodle's ` +
        `activity launches there, not into the embedded ` +
        'tool' +
        (tenantHere
          ? ''
          : ' (give --tool-port or --tool-base-url, or run inspera-lti init for the address the tool runs at)'),
    );
  } else if (!tenant) {
    notes.push(
      `the embedded tool answers at ${runsAt ?? 'a free port of 127.0.0.1'}; ` +
        `Moodle's tool must have its URLs there (inspera-lti ` +
        `init --domain ${runsAt ? new URL(runsAt).host : '127.0.0.1:<port>'} ` +
        `--allow-insecure prints them)${runsAt ? '' : ': give --tool-port to keep one address'}`,
    );
  }
  return {
    platformId,
    clientId,
    deploymentId,
    ...(toolPort !== undefined ? { toolPort } : {}),
    ...(toolBaseUrl ? { toolBaseUrl } : {}),
    notes,
  };
}

function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  return bare === 'localhost' || bare.endsWith('.localhost') || bare === '::1' || /^127\.\d+\.\d+\.\d+$/.test(bare);
}
