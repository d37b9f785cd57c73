import type { HttpTrace } from '../http/trace.js';
import type { Config } from '../config/types.js';
import type { SigningKey } from '../lti/keys.js';
import type { SettingOverrides } from './environment.js';
import type { Scenario } from './scenarios.js';
import type { Persona } from './world.js';

/** What a simulation is asked to do: simulate's input, and each mode's. */
export interface RemoteTool {
  loginInitUrl: string;
  launchUrl: string;
  keysetUrl: string;
}

export interface RemotePlatform {
  platformId: string;
  clientId: string;
  deploymentId: string;
  cmid?: number;
}

export interface SimulationRequest {
  config: Config;
  keys: { platform: SigningKey; tool: SigningKey; other?: SigningKey };
  overrides?: SettingOverrides;
  persona?: Persona;
  user?: string;
  scenario?: Scenario;
  grade?: boolean;
  /** Fraction of the maximum mark for the grade post. */
  score?: number;
  leewaySeconds?: number;
  remoteTool?: RemoteTool;
  remotePlatform?: RemotePlatform;
  timeoutMs?: number;
  platformPort?: number;
  toolPort?: number;
  /** With an external tool and a grade: how long to keep the platform up for the tool's own score. */
  waitSeconds?: number;
  /** The tool reads the NRPS membership this many members a page. */
  membershipPageSize?: number;
  /**
   * With a remote platform: the address the embedded tool is registered at (e.g. http://localhost:9000), routed to it.
   */
  toolBaseUrl?: string;
  /** Course short name and activity name in the simulated Moodle. */
  world?: { course?: string; activity?: string };
  /** The simulated browser blocks third-party cookies, as Safari and private windows do. */
  blockThirdPartyCookies?: boolean;
  /** Load mode: add this many learners (learner0…) so concurrent grade posts do not collide. */
  extraLearners?: number;
  /**
   * Real Moodle accounts to log in with (a platform of the user's: `--platform-url`). The first is the default user;
   * load mode takes turns. The embedded platform plays its own users and needs none.
   */
  accounts?: Account[];
  /** Told of every HTTP exchange the simulated browser and the tool's service calls make (--verbose). */
  trace?: HttpTrace;
}

export interface Account {
  username: string;
  password: string;
}
