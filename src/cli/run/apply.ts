import type { Config } from '../../config/types.js';
import { InsperaLtiError } from '../../errors.js';
import { openMoodleSession, type MoodleReadFlags } from '../moodle-tools.js';
import type { Output } from '../output.js';

export interface ApplyFlags extends MoodleReadFlags {
  yes?: boolean;
  dryRun?: boolean;
}

export interface ApplyOutcome {
  action: 'created' | 'updated' | 'unchanged' | 'shown';
  toolId?: number;
  changes: Array<{ label: string; from: string; to: string }>;
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
  const [{ insperaTools, listTools }, apply] = await Promise.all([
    import('../../moodle/admin/stored-tools.js'),
    import('../../moodle/admin/apply.js'),
  ]);
  const { session, http } = await openMoodleSession(out, flags, wwwroot);
  try {
    const ours = await insperaTools(session, await listTools(session), tool.domain);
    if (ours.length > 1)
      throw new InsperaLtiError(
        'CHECK_FAILED',
        `${ours.length} tools in Moodle point at ${tool.domain} (ids ${ours.map((t) => t.id).join(', ')}): ` +
          'init --apply changes one tool only, and not a guess',
        'keep one of them in Manage tools (delete the others), then run init --apply again',
      );
    const id = ours[0]?.id;
    const current = await apply.editForm(session, id);
    const wanted = apply.prescribedValues({
      name: tool.name,
      urls: tool.urls,
      customParameters: tool.customParameters,
      settings: config.moodle,
    });
    const changes = apply.differences(id === undefined ? {} : current.values, wanted);
    if (id !== undefined && changes.length === 0) return { action: 'unchanged', toolId: id, changes: [] };
    if (!out.json) {
      out.print(
        id === undefined
          ? `Moodle ${wwwroot} has no tool for ${tool.domain}: init --apply creates "${tool.name}" with`
          : `The Inspera tool in Moodle (id ${id}) changes in ${changes.length} ` +
              `field${changes.length === 1 ? '' : 's'}:`,
      );
      for (const change of changes)
        out.print(`  ${change.label}: ${id === undefined ? '' : `${shown(change.from)} → `}${shown(change.to)}`);
    }
    if (flags.dryRun) return { action: 'shown', ...(id !== undefined ? { toolId: id } : {}), changes };
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
          message: `Save ${id === undefined ? 'the new tool' : 'these changes'} in Moodle?`,
          default: false,
        }))
      )
        throw new InsperaLtiError('ABORTED', 'nothing was changed in Moodle', 'run init --apply again to apply');
    }
    await apply.submitTool(session, current.action, {
      ...current.values,
      ...wanted,
      ...(id === undefined ? { lti_typename: tool.name } : {}),
    });
    return { action: id === undefined ? 'created' : 'updated', ...(id !== undefined ? { toolId: id } : {}), changes };
  } finally {
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
    out.log('--dry-run: nothing was changed in Moodle');
    return 0;
  }
  out.print(
    outcome.action === 'unchanged'
      ? `The Inspera tool in Moodle (id ${outcome.toolId}) already holds every value init prescribes: ` +
          'nothing to change.'
      : outcome.action === 'created'
        ? 'Moodle saved the new Inspera tool.'
        : `Moodle saved the ${outcome.changes.length} changed field${outcome.changes.length === 1 ? '' : 's'}.`,
  );
  // The six values as Moodle's dialog now shows them, read back, checked and recorded.
  const { runRecord } = await import('./record.js');
  const code = await runRecord({
    fromMoodle: true,
    moodleUrl: wwwroot,
    ...(flags.moodleUser ? { moodleUser: flags.moodleUser } : {}),
    ...(flags.passwordFile ? { passwordFile: flags.passwordFile } : {}),
    ...(flags.allowInsecure ? { allowInsecure: true } : {}),
    ...(flags.allowIdn ? { allowIdn: true } : {}),
    ...(flags.config ? { config: flags.config } : {}),
    ...(flags.color !== undefined ? { color: flags.color } : {}),
    yes: true,
  });
  if (code === 0) out.print('Next: inspera-lti export — the hand-off sheet for Inspera support.');
  return code;
}
