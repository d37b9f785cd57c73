import { InsperaLtiError } from '../errors.js';
import { toolUrlsFor } from '../inspera/urls.js';
import { registrationFor } from '../moodle/registration.js';
import { freePort } from '../util/free-port.js';
import type { EnvironmentPlan, StartOptions } from './environment.js';
import type { RemotePlatform, RemoteTool, SimulationRequest } from './request.js';
import type { Scenario } from './scenarios.js';

/**
 * How a simulation is set up — both sides embedded, your tool, or your Moodle — decided before anything starts:
 * which side is embedded, where each answers, and what the embedded side has registered. The launch flow is shared.
 */
export interface SimulationMode {
  prepare(plan: EnvironmentPlan, request: SimulationRequest): Promise<StartOptions>;
}

/** Both sides embedded, on the addresses the config names, routed to loopback and kept off the network. */
const embedded: SimulationMode = {
  async prepare(_plan, request) {
    return { offline: true, ...ports(request) };
  },
};

/**
 * Your tool: Moodle is embedded and registers your tool's URLs; it plays its real loopback address as issuer, since
 * your tool must fetch its keyset and post scores to it.
 */
function ownTool(tool: RemoteTool): SimulationMode {
  return {
    async prepare(plan, request) {
      plan.platform.tool = {
        ...plan.platform.tool,
        loginInitUrl: tool.loginInitUrl,
        toolUrl: tool.launchUrl,
        redirectUrls: [tool.launchUrl],
        keysetUrl: tool.keysetUrl,
      };
      const port = request.platformPort || (await freePort());
      plan.platform.wwwroot = `http://127.0.0.1:${port}`;
      plan.platformOrigins = [plan.platform.wwwroot];
      return { embedTool: false, offline: false, platformPort: port };
    },
  };
}

/**
 * Your Moodle: the tool is embedded and registered with it (its issuer, Client ID and Deployment ID), answering at
 * the address your Moodle's tool points to — a loopback port, or `toolBaseUrl` routed to it.
 */
function ownMoodle(moodle: RemotePlatform): SimulationMode {
  return {
    async prepare(plan, request) {
      plan.tool.registrations = [registrationFor(moodle)!];
      plan.platform.wwwroot = moodle.platformId;
      plan.platform.clientId = moodle.clientId;
      plan.platform.typeId = moodle.deploymentId;
      const port = request.toolPort || (await freePort());
      const base = new URL(request.toolBaseUrl ?? `http://127.0.0.1:${port}`);
      const path = (url: string) => `https://{domain}${new URL(url).pathname}`;
      plan.tool.urls = toolUrlsFor(base.host, base.protocol === 'https:' ? 'https' : 'http', {
        keysetUrl: path(plan.tool.urls.keysetUrl),
        loginInitUrl: path(plan.tool.urls.loginInitUrl),
        toolUrl: path(plan.tool.urls.toolUrl),
        redirectUrls: plan.tool.urls.redirectUrls.map(path),
      });
      plan.toolOrigins = [base.origin];
      return { embedPlatform: false, offline: false, toolPort: port };
    },
  };
}

function ports(request: SimulationRequest): Pick<StartOptions, 'platformPort' | 'toolPort'> {
  return {
    ...(request.platformPort !== undefined ? { platformPort: request.platformPort } : {}),
    ...(request.toolPort !== undefined ? { toolPort: request.toolPort } : {}),
  };
}

/** The mode a request asks for (a real tool and a real Moodle at once is refused before this). */
export function modeOf(request: SimulationRequest): SimulationMode {
  if (request.remoteTool) return ownTool(request.remoteTool);
  if (request.remotePlatform) return ownMoodle(request.remotePlatform);
  return embedded;
}

/**
 * A scenario stages its mistake in the embedded Moodle or Inspera; when that side is the user's own system it cannot,
 * and a run would report "not reproduced" for a mistake never made. A grade scenario is judged by the embedded tool's
 * own token request and score, which an external tool does not make.
 */
export function refuseUnstageable(scenario: Scenario, own: { ownTool: boolean; ownPlatform: boolean }): void {
  const name = `--scenario ${scenario.name}`;
  if (own.ownTool && scenario.changes.includes('Inspera')) {
    throw new InsperaLtiError(
      'USAGE',
      `${name} stages its mistake in the tool (${scenario.title}), ` +
        `and with --tool-login-url the tool is yours, ` +
        `which the CLI cannot change`,
      'make that change in your tool and run without --scenario, or ' +
        'drop the --tool-*-url flags to run the scenario against the ' +
        'embedded tool',
    );
  }
  if (own.ownTool && scenario.kind === 'grade') {
    throw new InsperaLtiError(
      'USAGE',
      `${name} is judged by the embedded tool's token request and score, and your tool posts its own`,
      'run simulate grade --wait <seconds> with the Moodle setting ' +
        'changed (e.g. --ags off, --accept-grades never) to see what your ' +
        'tool does, or drop the --tool-*-url flags',
    );
  }
  if (own.ownPlatform && scenario.changes.includes('Moodle')) {
    throw new InsperaLtiError(
      'USAGE',
      `${name} stages its mistake in Moodle (${scenario.title}), ` +
        `and with --platform-url Moodle is yours, which ` +
        `the CLI cannot change`,
      'make that change on your (test) Moodle and run without ' +
        '--scenario, or drop --platform-url to run the scenario against ' +
        'the embedded Moodle',
    );
  }
}
