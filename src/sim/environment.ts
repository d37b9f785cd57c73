import type { Config } from '../config/types.js';
import { InsperaLtiError } from '../errors.js';
import { HttpClient } from '../http/client.js';
import type { HttpTrace } from '../http/trace.js';
import { toolUrlsFor, type ToolUrls } from '../inspera/urls.js';
import type { SigningKey } from '../lti/keys.js';
import { parametersToMoodleText } from '../moodle/custom-parameters.js';
import { registrationFor } from '../moodle/registration.js';
import type { MoodleSettings } from '../moodle/settings.js';
import { startPlatform, type EmbeddedPlatform } from './platform/server.js';
import type { PlatformSetup } from './platform/types.js';
import { startTool, type EmbeddedTool, type ToolSetup } from './tool/server.js';
import { defaultWorld } from './world.js';
import type { MoodleRelease } from '../moodle/versions.js';

export const DEMO_PLATFORM = {
  platformId: 'https://moodle.example.edu',
  clientId: 'EhdzqulqmXxNDkw',
  deploymentId: '3',
};
export const DEMO_DOMAIN = 'university.inspera.com';

export interface SettingOverrides {
  ags?: MoodleSettings['services']['ags'];
  nrps?: boolean;
  shareName?: MoodleSettings['privacy']['shareName'];
  shareEmail?: MoodleSettings['privacy']['shareEmail'];
  acceptGrades?: MoodleSettings['privacy']['acceptGrades'];
  launchContainer?: MoodleSettings['launchContainer'];
  custom?: Record<string, string>;
  /** The Moodle release the embedded platform plays (default: the newest the project imitates). */
  moodle?: MoodleRelease;
}

/** Everything before the servers start; scenarios edit this. */
export interface EnvironmentPlan {
  platform: Omit<PlatformSetup, 'fetchKeyset' | 'onRequest'>;
  tool: Omit<ToolSetup, 'fetchKeyset' | 'onRequest' | 'http'>;
  /** Public origins of each side, routed to its loopback server. */
  platformOrigins: string[];
  toolOrigins: string[];
}

export interface Environment {
  plan: EnvironmentPlan;
  http: HttpClient;
  platform?: EmbeddedPlatform;
  tool?: EmbeddedTool;
  close(): Promise<void>;
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/**
 * Plan the simulated world from the config as it stands: Moodle plays the recorded Platform ID (as Moodle would
 * hold it — never with a trailing slash) with the tool registered from `tool.urls`; the tool holds the six values
 * exactly as recorded, so a wrong value surfaces as the failure it would cause.
 */
export function planEnvironment(
  config: Config,
  keys: { platform: SigningKey; tool: SigningKey },
  overrides: SettingOverrides = {},
  leewaySeconds = 5,
): EnvironmentPlan {
  const recorded = { ...DEMO_PLATFORM, ...config.platform };
  const wwwroot = recorded.platformId.trim().replace(/\/+$/, '');
  if (!originOf(wwwroot)) {
    throw new InsperaLtiError(
      'INVALID_CONFIG',
      `the recorded Platform ID ${JSON.stringify(recorded.platformId)} is not a web address, so no Moodle can play it`,
      'record the six values again: inspera-lti record',
    );
  }
  const urls: ToolUrls = config.tool?.urls ?? toolUrlsFor(DEMO_DOMAIN);
  const settings: MoodleSettings = structuredClone(config.moodle);
  if (overrides.ags) settings.services.ags = overrides.ags;
  if (overrides.nrps !== undefined) settings.services.nrps = overrides.nrps;
  if (overrides.shareName) settings.privacy.shareName = overrides.shareName;
  if (overrides.shareEmail) settings.privacy.shareEmail = overrides.shareEmail;
  if (overrides.acceptGrades) settings.privacy.acceptGrades = overrides.acceptGrades;
  if (overrides.launchContainer) settings.launchContainer = overrides.launchContainer;
  const custom = { ...(config.tool?.customParameters ?? { enroll_candidates: 'true' }), ...(overrides.custom ?? {}) };
  const registration = registrationFor(recorded)!;
  const toolOrigins = [
    ...new Set(
      [urls.loginInitUrl, urls.toolUrl, urls.keysetUrl, ...urls.redirectUrls]
        .map(originOf)
        .filter((o): o is string => !!o),
    ),
  ];
  return {
    platform: {
      wwwroot,
      clientId: recorded.clientId.trim(),
      typeId: recorded.deploymentId.trim(),
      tool: {
        toolUrl: urls.toolUrl,
        loginInitUrl: urls.loginInitUrl,
        redirectUrls: [...urls.redirectUrls],
        keysetUrl: urls.keysetUrl,
        customParameters: parametersToMoodleText(custom),
      },
      settings,
      key: keys.platform,
      world: { ...defaultWorld(), ...(overrides.moodle ? { moodle: overrides.moodle } : {}) },
    },
    tool: { urls: structuredClone(urls), registrations: [registration], key: keys.tool, leewaySeconds },
    platformOrigins: [originOf(wwwroot)!],
    toolOrigins,
  };
}

export interface StartOptions {
  /** Skip the embedded platform / tool (a real one is used instead). */
  embedPlatform?: boolean;
  embedTool?: boolean;
  platformPort?: number;
  toolPort?: number;
  /** The flag that chose the tool's port, for the message when it is taken (simulate's --tool-port). */
  toolPortFlag?: string;
  /** Address the servers listen on (127.0.0.1 unless asked). */
  host?: string;
  /** Keep unrouted URLs off the network (always, for a fully embedded world). */
  offline?: boolean;
  timeoutMs?: number;
  trace?: HttpTrace;
  onRequest?: (
    side: 'platform' | 'tool',
    entry: { method: string; path: string; status: number; note?: string },
  ) => void;
}

async function fetchJson(http: HttpClient, url: string): Promise<unknown | string> {
  try {
    const response = await http.send({
      url,
      headers: { accept: 'application/json' },
      timeoutMs: 5_000,
      maxBytes: 1024 * 1024,
    });
    if (response.status !== 200) return `HTTP ${response.status}`;
    try {
      return JSON.parse(response.body) as unknown;
    } catch {
      return 'the answer is not JSON';
    }
  } catch (error) {
    return (error as Error).message;
  }
}

export async function startEnvironment(plan: EnvironmentPlan, options: StartOptions = {}): Promise<Environment> {
  const http = new HttpClient(new Map(), {
    offline: options.offline ?? true,
    timeoutMs: options.timeoutMs ?? 10_000,
    ...(options.trace ? { trace: options.trace } : {}),
  });
  let platform: EmbeddedPlatform | undefined;
  let tool: EmbeddedTool | undefined;
  try {
    if (options.embedPlatform !== false) {
      platform = await startPlatform(
        {
          ...plan.platform,
          fetchKeyset: async (url) => {
            const response = await http.send({ url, timeoutMs: 5_000, maxBytes: 1024 * 1024 });
            return { status: response.status, body: response.body };
          },
          ...(options.onRequest ? { onRequest: (entry) => options.onRequest!('platform', entry) } : {}),
        },
        {
          ...(options.platformPort !== undefined ? { port: options.platformPort } : {}),
          ...(options.host ? { host: options.host } : {}),
        },
      );
      for (const origin of plan.platformOrigins) http.addRoute(origin, platform.server.origin);
    }
    if (options.embedTool !== false) {
      // The platform keyset is cached per URL after the first good fetch, as tool libraries do.
      const cache = new Map<string, unknown>();
      tool = await startTool(
        {
          ...plan.tool,
          http,
          fetchKeyset: async (url) => {
            if (cache.has(url)) return cache.get(url);
            const value = await fetchJson(http, url);
            if (typeof value !== 'string') cache.set(url, value);
            return value;
          },
          ...(options.onRequest ? { onRequest: (entry) => options.onRequest!('tool', entry) } : {}),
        },
        {
          ...(options.toolPort !== undefined ? { port: options.toolPort } : {}),
          ...(options.toolPortFlag ? { portFlag: options.toolPortFlag } : {}),
          ...(options.host ? { host: options.host } : {}),
        },
      );
      for (const origin of plan.toolOrigins) http.addRoute(origin, tool.server.origin);
    }
  } catch (error) {
    await Promise.all([platform?.close(), tool?.close()]);
    await http.close();
    throw error;
  }
  return {
    plan,
    http,
    ...(platform ? { platform } : {}),
    ...(tool ? { tool } : {}),
    close: async () => {
      await Promise.all([platform?.close(), tool?.close()]);
      await http.close();
    },
  };
}
