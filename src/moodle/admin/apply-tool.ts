import { InsperaLtiError } from '../../errors.js';
import type { ToolUrls } from '../../inspera/urls.js';
import { printable } from '../../util/printable.js';
import type { MoodleSettings } from '../settings.js';
import type { ToolDetails } from '../tool-details.js';
import * as apply from './apply.js';
import type { FieldChange } from './apply.js';
import type { KeptValue } from './keep-extras.js';
import type { MoodleSession } from './session.js';
import { dialogValues, insperaTools, listTools, refuseUnlikeTenant, toolLabel } from './stored-tools.js';
import { shownValue } from './tool-form.js';

/** The tool init --apply sets up: the tenant's, with the Moodle settings chosen for it. */
export interface ApplyRequest {
  /** A logged-in administrator's session: the engine neither logs in nor out. */
  session: MoodleSession;
  wwwroot: string;
  tool: { domain: string; name: string; urls: ToolUrls; customParameters: Record<string, string> };
  settings: MoodleSettings;
  /** Show what would change, and change nothing. */
  dryRun?: boolean;
}

/** What would change, in Moodle's words ("Embed" → "New window"), before anything is saved. */
export interface ApplyPlan {
  /** The tool's id; none when a tool is to be created. */
  toolId?: number;
  /** The tool as a person tells it apart ("tool 3 "Inspera Assessment" (site tool)"), or the new tool's name. */
  named: string;
  changes: Array<{ label: string; from: string; to: string }>;
  kept: KeptValue[];
}

export interface ApplyHooks {
  /** The plan, shown before a save and by a dry run. */
  show?: (plan: ApplyPlan) => void;
  /** May the plan be saved? (a person's answer, or --yes); false aborts with nothing changed. */
  confirm: (plan: ApplyPlan) => Promise<boolean>;
}

export interface ApplyOutcome {
  action: 'created' | 'updated' | 'unchanged' | 'shown';
  toolId?: number;
  /** Each field that changed, with the values its form posts (Moodle's codes). */
  changes: FieldChange[];
  /** Values an administrator added beside init's, kept as Moodle holds them. */
  kept?: KeptValue[];
  /** The six values Moodle's dialog shows for the tool afterwards, read back in the same session. */
  six?: { values: Partial<ToolDetails>; name: string };
}

/** A value as a change shows it, in Moodle's own words. */
const said = (field: string, value: string) => {
  const label = shownValue(field, value);
  return label === '' ? '(empty)' : JSON.stringify(label);
};

/**
 * init --apply: create the Inspera tool through Moodle's own edit form, or update the one already on this tenant's
 * domain (never any other tool), after the plan is shown and confirmed; then read back what Moodle holds ("saved" is
 * said only of that) and the six values its dialog shows. A second run finds nothing to change.
 */
export async function applyTool(request: ApplyRequest, hooks: ApplyHooks): Promise<ApplyOutcome> {
  const { session, tool } = request;
  const listed = await listTools(session);
  const ours = await insperaTools(session, listed, tool.domain);
  // The dialog's six values of the tenant's tool, as Moodle lists it now (after a save: listed again).
  const readBack = async (again: boolean) => {
    const now = again ? await listTools(session) : listed;
    const mine = again ? await insperaTools(session, now, tool.domain) : ours;
    const entry = now.find((t) => t.id === mine[0]?.id);
    if (!entry || mine.length !== 1)
      throw new InsperaLtiError(
        'CHECK_FAILED',
        `after the save Moodle lists ${mine.length} tools on ${tool.domain}: nothing was recorded`,
        'look at Manage tools, then run inspera-lti doctor --moodle',
      );
    return { six: dialogValues(entry), id: entry.id };
  };
  if (ours.length > 1)
    throw new InsperaLtiError(
      'CHECK_FAILED',
      `${ours.length} tools in Moodle point at ${tool.domain} (ids ${ours.map((t) => t.id).join(', ')}): ` +
        'init --apply changes one tool only, and not a guess',
      'keep one of them in Manage tools (delete the others), then run init --apply again',
    );
  const found = ours[0];
  const id = found?.id;
  // The blank form (to add a tool) is read only to submit it: a dry run shows the values without it.
  const current = id === undefined ? undefined : await apply.editForm(session, id);
  const prescribed = apply.prescribedValues({
    name: tool.name,
    urls: tool.urls,
    customParameters: tool.customParameters,
    settings: request.settings,
  });
  // What an administrator added beside init's values (a second Redirection URI, an extra custom parameter) stays.
  const { wanted, kept } = apply.keepExtras(
    current?.values ?? {},
    current ? apply.heldByForm(current.values, prescribed) : prescribed,
  );
  const changes = apply.differences(current?.values ?? {}, wanted);
  const plan: ApplyPlan = {
    ...(id !== undefined ? { toolId: id } : {}),
    named: found ? printable(toolLabel(found), 400) : `the new tool "${tool.name}"`,
    // In Moodle's own words ("Embed" → "New window"), as the form shows them.
    changes: changes.map((c) => ({ label: c.label, from: said(c.field, c.from), to: said(c.field, c.to) })),
    kept,
  };
  if (id !== undefined && changes.length === 0) {
    if (kept.length) hooks.show?.(plan);
    return { action: 'unchanged', toolId: id, changes: [], kept, six: (await readBack(false)).six };
  }
  if (found) refuseUnlikeTenant(found, tool.domain, tool.name);
  hooks.show?.(plan);
  if (request.dryRun) return { action: 'shown', ...(id !== undefined ? { toolId: id } : {}), changes, kept };
  const form = current ?? (await apply.editForm(session, undefined));
  if (!(await hooks.confirm(plan)))
    throw new InsperaLtiError('ABORTED', 'nothing was changed in Moodle', 'run init --apply again to apply');
  await apply.submitTool(
    session,
    form.action,
    apply.formSubmission(form.values, { ...wanted, ...(id === undefined ? { lti_typename: tool.name } : {}) }),
  );
  // What Moodle holds now, read back from its edit form: "saved" is said only of what it kept.
  const { six, id: savedId } = await readBack(true);
  const held = apply.differences((await apply.editForm(session, savedId)).values, wanted);
  if (held.length)
    throw new InsperaLtiError(
      'CHECK_FAILED',
      `Moodle does not hold what was saved to tool ${savedId}: ` +
        held.map((c) => `${c.label} is ${said(c.field, c.from)}, not ${said(c.field, c.to)}`).join('; '),
      'nothing was recorded; look at the tool in Manage tools, then run inspera-lti doctor --moodle',
    );
  return { action: id === undefined ? 'created' : 'updated', toolId: savedId, changes, kept, six };
}
