import type { Config } from '../config/types.js';
import type { CheckResult } from '../core/result.js';
import { HttpClient } from '../http/client.js';
import type { SigningKey } from '../lti/keys.js';
import type { FieldChange } from '../moodle/admin/apply.js';
import { applyTool } from '../moodle/admin/apply-tool.js';
import { auditStoredTool } from '../moodle/admin/audit.js';
import { MoodleSession } from '../moodle/admin/session.js';
import { insperaTools, listTools } from '../moodle/admin/stored-tools.js';
import type { MoodleRelease } from '../moodle/versions.js';
import { planEnvironment } from './environment.js';
import { startPlatform } from './platform/server.js';

export interface StoredToolDemo {
  /** The audit of the tool as the embedded Moodle stored it: a Redirection URI with a trailing slash. */
  before: CheckResult[];
  /** What init --apply changed through the edit form (Moodle's codes, as init --apply --json reports them). */
  changes: FieldChange[];
  /** The audit after. */
  after: CheckResult[];
}

/**
 * doctor --moodle and init --apply on the embedded Moodle, in process: a tool saved with one byte too many in its
 * Redirection URI, found by the audit, repaired through the edit form, audited again.
 */
export async function storedToolDemo(
  config: Config,
  keys: { platform: SigningKey; tool: SigningKey },
  moodle: MoodleRelease,
): Promise<StoredToolDemo> {
  const plan = planEnvironment(config, keys, { moodle });
  const tool = config.tool!;
  plan.platform.tool.redirectUrls = tool.urls.redirectUrls.map((uri) => `${uri}/`);
  const platform = await startPlatform({ ...plan.platform, fetchKeyset: async () => ({ status: 404, body: '' }) });
  platform.setup.wwwroot = platform.server.origin;
  const http = new HttpClient(new Map(), { timeoutMs: 10_000 });
  try {
    const session = new MoodleSession(platform.server.origin, http);
    await session.login('admin', 'demo');
    const want = { urls: tool.urls, customParameters: tool.customParameters, settings: config.moodle, recorded: {} };
    // The same reading and the same apply as doctor --moodle and init --apply.
    const audit = async () => {
      const listed = await listTools(session);
      const [stored] = await insperaTools(session, listed, tool.domain);
      return auditStoredTool(
        stored!,
        listed.find((t) => t.id === stored!.id),
        want,
      );
    };
    const before = await audit();
    const { changes } = await applyTool(
      { session, wwwroot: platform.server.origin, tool, settings: config.moodle },
      { confirm: async () => true },
    );
    const after = await audit();
    return { before, changes, after };
  } finally {
    await http.close();
    await platform.close();
  }
}
