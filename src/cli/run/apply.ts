import type { Config } from '../../config/types.js';
import { InsperaLtiError } from '../../errors.js';
import { printable } from '../../util/printable.js';
import type { ToolDetails } from '../../moodle/tool-details.js';
import { openMoodleSession, type MoodleReadFlags } from '../moodle-tools.js';
import { dialogValues } from './record.js';
import type { Output } from '../output.js';

export interface ApplyFlags extends MoodleReadFlags {
  yes?: boolean;
  dryRun?: boolean;
}

export interface ApplyOutcome {
  action: 'created' | 'updated' | 'unchanged' | 'shown';
  toolId?: number;
  changes: Array<{ label: string; from: string; to: string }>;
  /** Values an administrator added beside init's, kept as Moodle holds them. */
  kept?: Array<{ label: string; value: string }>;
  /** The six values Moodle's dialog shows for the tool afterwards, read back in the same session. */
  six?: { values: Partial<ToolDetails>; name: string };
}

const shown = (value: string) => (value === '' ? '(empty)' : JSON.stringify(value));

/**
 * init --apply: create the Inspera tool through Moodle's own edit form, or update the one already on this tenant's
 * domain (never any other tool), after showing the field-by-field difference and asking (--yes in CI; --dry-run only
 * shows). A second run finds nothing to change and says so.
 */
export async function applyToMoodle(
  out: Output,
  flags: ApplyFlags,
  config: Config,
  wwwroot: string,
): Promise<ApplyOutcome> {
  const tool = config.tool!;
  const [{ insperaTools, listTools, refuseUnlikeTenant, toolLabel }, apply, { shownValue }] = await Promise.all([
    import('../../moodle/admin/stored-tools.js'),
    import('../../moodle/admin/apply.js'),
    import('../../moodle/admin/tool-form.js'),
  ]);
  const { session, http } = await openMoodleSession(out, flags, wwwroot);
  try {
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
    const named = found ? printable(toolLabel(found), 400) : `the new tool "${tool.name}"`;
    // The blank form (to add a tool) is read only to submit it: a dry run shows the values without it.
    const current = id === undefined ? undefined : await apply.editForm(session, id);
    // What an administrator added beside init's values (a second Redirection URI, an extra custom parameter) stays.
    const prescribed = apply.prescribedValues({
      name: tool.name,
      urls: tool.urls,
      customParameters: tool.customParameters,
      settings: config.moodle,
    });
    const { wanted, kept } = apply.keepExtras(
      current?.values ?? {},
      current ? apply.heldByForm(current.values, prescribed) : prescribed,
    );
    const changes = apply.differences(current?.values ?? {}, wanted);
    // In Moodle's own words ("Embed" → "New window"), as the form shows them.
    const label = (field: string, value: string) => shown(shownValue(field, value));
    if (kept.length && !out.json)
      out.print(
        `Kept as Moodle holds them (added beside init's values; init changes none of them): ` +
          kept.map((k) => `${k.label} ${JSON.stringify(printable(k.value, 300))}`).join('; '),
      );
    if (id !== undefined && changes.length === 0)
      return { action: 'unchanged', toolId: id, changes: [], kept, six: (await readBack(false)).six };
    if (found) refuseUnlikeTenant(found, tool.domain, tool.name);
    if (!out.json) {
      out.print(
        id === undefined
          ? `Moodle ${wwwroot} has no tool for ${tool.domain}: init --apply creates "${tool.name}" with`
          : `The Inspera tool in Moodle, ${named}, changes in ${changes.length} ` +
              `field${changes.length === 1 ? '' : 's'}:`,
      );
      for (const change of changes)
        out.print(
          `  ${change.label}: ${id === undefined ? '' : `${label(change.field, change.from)} → `}` +
            `${label(change.field, change.to)}`,
        );
    }
    if (flags.dryRun) return { action: 'shown', ...(id !== undefined ? { toolId: id } : {}), changes, kept };
    const form = current ?? (await apply.editForm(session, undefined));
    if (!flags.yes) {
      if (!out.interactive)
        throw new InsperaLtiError(
          'MISSING_FLAG',
          'init --apply writes to Moodle and asks first; there is no terminal to ask at',
          'add --yes to apply what is shown (or --dry-run to only show it)',
        );
      const { confirm } = await import('@inquirer/prompts');
      if (
        !(await confirm({
          message: `Save ${id === undefined ? named : `these changes to ${named}`} in Moodle?`,
          default: false,
        }))
      )
        throw new InsperaLtiError('ABORTED', 'nothing was changed in Moodle', 'run init --apply again to apply');
    }
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
          held.map((c) => `${c.label} is ${label(c.field, c.from)}, not ${label(c.field, c.to)}`).join('; '),
        'nothing was recorded; look at the tool in Manage tools, then run inspera-lti doctor --moodle',
      );
    return {
      action: id === undefined ? 'created' : 'updated',
      toolId: savedId,
      changes,
      kept,
      six,
    };
  } finally {
    await session.logout();
    await http.close();
  }
}

/** init --apply after the config is saved: apply, then record the six values Moodle shows, then the hand-off. */
export async function applyAfterInit(
  out: Output,
  flags: ApplyFlags & { allowInsecure?: boolean; allowIdn?: boolean; color?: boolean; config?: string },
  config: Config,
  site: string | undefined,
): Promise<number> {
  const wwwroot = (site ?? config.platform.platformId)?.trim().replace(/\/+$/, '');
  if (!wwwroot)
    throw new InsperaLtiError(
      'MISSING_FLAG',
      '--apply needs the Moodle to set the tool up in',
      'add --moodle-url https://moodle.example.edu',
    );
  const outcome = await applyToMoodle(out, flags, config, wwwroot);
  if (outcome.action === 'shown') {
    if (out.json) out.emitJson({ ok: true, apply: outcome });
    else out.log('--dry-run: nothing was changed in Moodle');
    return 0;
  }
  if (!out.json)
    out.print(
      outcome.action === 'unchanged'
        ? `The Inspera tool in Moodle (id ${outcome.toolId}) already holds every value init prescribes: ` +
            'nothing to change.'
        : outcome.action === 'created'
          ? 'Moodle saved the new Inspera tool.'
          : `Moodle saved the ${outcome.changes.length} changed field${outcome.changes.length === 1 ? '' : 's'}.`,
    );
  // The six values as Moodle's dialog now shows them, read back in the same session, checked and recorded.
  const [{ loadConfig }, { recordToolDetails }, render, { configSavePath, explicitConfigPath }] = await Promise.all([
    import('../../config/load.js'),
    import('../../config/record-details.js'),
    import('../render/record.js'),
    import('../config-path.js'),
  ]);
  const loaded = await loadConfig({ configPath: explicitConfigPath(flags.config) });
  const result = await recordToolDetails({
    given: outcome.six!.values,
    loaded,
    allowInsecure: flags.allowInsecure === true || loaded.config.allowInsecure,
    allowIdn: flags.allowIdn === true || loaded.config.allowIdn,
    savePath: () => configSavePath(flags.config),
    // --dry-run writes nothing, ever: the values are only shown.
    ...(flags.dryRun ? { dryRun: true } : {}),
  });
  if (!out.json) return render.presentRecord(out, result);
  // One JSON document: what was applied and what was recorded.
  if (!result.ok) render.say(out, render.refusedLine(result));
  const { six, ...applied } = outcome;
  out.emitJson({ ok: result.ok, apply: applied, record: render.recordDocument(result) });
  return result.ok ? 0 : 2;
}
