import { toolUrlsFor } from '../inspera/urls.js';
import { registrationFor } from '../moodle/registration.js';
import { freePort } from '../util/free-port.js';
import type { EnvironmentPlan, StartOptions } from './environment.js';
import type { RemotePlatform, RemoteTool, SimulationRequest } from './request.js';

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
