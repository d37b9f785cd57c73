import { InsperaLtiError } from '../../errors.js';
import { MANAGE_TOOLS } from '../checklist.js';
import type { ToolDetails } from '../tool-details.js';
import type { MoodleSession } from './session.js';
import { formValues, storedToolFrom, type StoredTool } from './tool-form.js';

/** One tool as Manage tools lists it (mod_lti_get_tool_types_and_proxies, serialise_tool_type in locallib.php). */
export interface ListedTool {
  id: number;
  name: string;
  platformid: string;
  clientid: string | null;
  deploymentid: string | number;
  /** 0 for a site tool, the course id for a course tool (4.3+). */
  courseid: number;
  state: { text: string; pending: boolean; configured: boolean; rejected: boolean; unknown: boolean };
  urls: { publickeyset: string; accesstoken: string; authrequest: string; edit?: string };
  instancecount?: number;
}

const PAGE = 60;

/** Every LTI tool type Manage tools lists (site and course tools), all pages of it. Needs moodle/site:config. */
export async function listTools(session: MoodleSession): Promise<ListedTool[]> {
  const tools: ListedTool[] = [];
  for (let offset = 0; offset < 100_000; offset += PAGE) {
    const page = await session.ajax<{ types: ListedTool[]; proxies: unknown[] }>('mod_lti_get_tool_types_and_proxies', {
      toolproxyid: 0,
      orphanedonly: false,
      limit: PAGE,
      offset,
    });
    const types = Array.isArray(page?.types) ? page.types : undefined;
    if (!types?.every(isListedTool))
      throw new InsperaLtiError(
        'MOODLE_NOT_ALLOWED',
        "mod_lti_get_tool_types_and_proxies: Moodle answered a list of tools of another shape than Moodle's",
        'check that this is a Moodle site (its wwwroot) and that nothing between rewrites its answers',
      );
    tools.push(...types);
    if (types.length + (Array.isArray(page.proxies) ? page.proxies.length : 0) < PAGE) break;
  }
  return tools;
}

/** A tool as serialise_tool_type() describes it: the fields this code reads, of the types it reads them as. */
function isListedTool(value: unknown): value is ListedTool {
  const tool = value as Partial<ListedTool> | null;
  return (
    typeof tool === 'object' &&
    tool !== null &&
    Number.isInteger(tool.id) &&
    typeof tool.name === 'string' &&
    // An LTI 1.1 tool has no Client ID: Moodle's external function sends null.
    (typeof tool.clientid === 'string' || tool.clientid === null || tool.clientid === undefined) &&
    typeof tool.state === 'object' &&
    tool.state !== null &&
    typeof tool.urls === 'object' &&
    tool.urls !== null
  );
}

/** Every stored value of one tool, from its edit form (a GET: nothing is submitted). */
export async function readTool(session: MoodleSession, id: number): Promise<StoredTool> {
  const key = await session.sesskey();
  const page = await session.page(`/mod/lti/typessettings.php?action=update&id=${id}&sesskey=${key}`);
  if (!page.body.includes('_qf__mod_lti_edit_types_form'))
    throw new InsperaLtiError(
      'MOODLE_NOT_ALLOWED',
      `tool ${id}: ${page.url} (HTTP ${page.status}) shows no tool settings form`,
      'use an administrator account, and the id of an LTI tool (--tool-id, as Manage tools lists it)',
    );
  return storedToolFrom(id, formValues(page.body));
}

/** A course's short name from its settings form (course/edit.php, a GET); undefined when it cannot be read. */
async function courseShortname(session: MoodleSession, courseId: number): Promise<string | undefined> {
  const page = await session.page(`/course/edit.php?id=${courseId}`);
  const shortname = formValues(page.body, '_qf__course_edit_form').shortname?.trim();
  return shortname || undefined;
}

/** The stored tool with its course, when Manage tools lists it as a course tool. */
export async function withCourse(
  session: MoodleSession,
  stored: StoredTool,
  listed: ListedTool | undefined,
): Promise<StoredTool> {
  if (!listed || !(listed.courseid > 0)) return stored;
  const shortname = await courseShortname(session, listed.courseid);
  return { ...stored, course: { id: listed.courseid, ...(shortname ? { shortname } : {}) } };
}

/** Where a person edits the tool: Manage tools for a site tool, the course's LTI External tools for a course tool. */
export function toolPlace(tool: Pick<StoredTool, 'course'>): string {
  if (!tool.course) return MANAGE_TOOLS_EDIT;
  const { id, shortname } = tool.course;
  return (
    `Moodle: Course ${shortname ? `${shortname} (course ${id})` : `${id}`} > More > LTI External tools > ` +
    '(the Inspera tool) > Edit'
  );
}

/** A tool as a person tells it apart: its id, name, and whether it is the site's or a course's. */
export function toolLabel(tool: Pick<StoredTool, 'id' | 'name' | 'course'>): string {
  const where = tool.course
    ? `course tool of ${tool.course.shortname ? `${tool.course.shortname}, ` : ''}course ${tool.course.id}; ` +
      "teachers manage it under the course's LTI External tools"
    : 'site tool';
  return `tool ${tool.id} "${tool.name}" (${where})`;
}

export const MANAGE_TOOLS_EDIT = `Moodle: ${MANAGE_TOOLS} > (edit the Inspera tool)`;

/** The six values as the tool's "Tool configuration details" dialog shows them (its card's data). */
export function dialogValues(listed: ListedTool): { values: Partial<ToolDetails>; name: string } {
  return {
    name: `Moodle's dialog for tool ${listed.id}`,
    values: {
      platformId: listed.platformid,
      clientId: listed.clientid ?? undefined,
      deploymentId: String(listed.deploymentid),
      publicKeysetUrl: listed.urls.publickeyset,
      accessTokenUrl: listed.urls.accesstoken,
      authRequestUrl: listed.urls.authrequest,
    },
  };
}

/** The host of a URL, lower case; undefined for text that is not one. */
function hostOf(url: string): string | undefined {
  try {
    return new URL(url.trim()).host.toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * How a stored tool points at a tenant: by both the Tool URL and the Initiate login URL (the tenant's tool), by one
 * of them only (a tool half pointed elsewhere: never written without a person looking), or by neither. A keyset URL
 * or a Redirection URI line on the tenant's host alone makes no tool the tenant's: another vendor's tool may list one.
 */
export function tenantMatch(tool: StoredTool, tenantHost: string): 'both' | 'one' | 'none' {
  const host = tenantHost.toLowerCase();
  const hits = [tool.toolUrl, tool.loginInitUrl].filter((url) => hostOf(url) === host).length;
  return hits === 2 ? 'both' : hits === 1 ? 'one' : 'none';
}

/**
 * Which listed tools are this tenant's: those whose Tool URL or Initiate login URL is on its host. The list itself
 * holds no tool URL, so each LTI 1.3 tool's form is read (a GET each) unless one id is chosen.
 */
export async function insperaTools(
  session: MoodleSession,
  tools: readonly ListedTool[],
  tenantHost: string,
): Promise<StoredTool[]> {
  const found: StoredTool[] = [];
  for (const tool of tools.filter((t) => t.clientid)) {
    const stored = await readTool(session, tool.id);
    if (tenantMatch(stored, tenantHost) !== 'none') found.push(await withCourse(session, stored, tool));
  }
  return found;
}

/**
 * init --apply writes only a tool that is plainly the tenant's: both its Tool URL and its Initiate login URL on the
 * tenant's host, and a name that says Inspera (or the name init gives it). Anything else may be another vendor's tool
 * that merely lists one of the tenant's URLs.
 */
export function refuseUnlikeTenant(found: StoredTool, domain: string, name: string): void {
  const which = `tool ${found.id} "${found.name}"`;
  if (tenantMatch(found, domain) !== 'both')
    throw new InsperaLtiError(
      'CHECK_FAILED',
      `${which} has its Tool URL (${found.toolUrl || 'empty'}) and its Initiate login URL ` +
        `(${found.loginInitUrl || 'empty'}) on different sites, only one on ${domain}: init --apply writes no tool ` +
        'it may have mistaken for Inspera’s',
      `look at ${which} in Manage tools; if it is Inspera's, set both URLs (run inspera-lti init to see the values), ` +
        'then run init --apply again',
    );
  if (!/inspera/i.test(found.name) && found.name.trim() !== name.trim())
    throw new InsperaLtiError(
      'CHECK_FAILED',
      `${which} points at ${domain}, but its name does not say Inspera: init --apply writes no tool it may have ` +
        'mistaken for Inspera’s',
      `if it is Inspera's tool, run init --apply --name "${found.name}" (or rename it in Manage tools)`,
    );
}
