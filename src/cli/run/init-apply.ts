import type { Config } from '../../config/types.js';
import { InsperaLtiError } from '../../errors.js';
import { printable } from '../../util/printable.js';
import type { ApplyOutcome, ApplyPlan } from '../../moodle/admin/apply-tool.js';
import { openMoodleSession, type MoodleReadFlags } from '../moodle-tools.js';
import type { Output } from '../output.js';

export interface ApplyFlags extends MoodleReadFlags {
  yes?: boolean;
  dryRun?: boolean;
}

/** init --apply's face: log in, show the plan in Moodle's words and ask (--yes where nobody can answer), log out. */
async function applyToMoodle(out: Output, flags: ApplyFlags, config: Config, wwwroot: string): Promise<ApplyOutcome> {
  const tool = config.tool!;
  const { applyTool } = await import('../../moodle/admin/apply-tool.js');
  const { session, http } = await openMoodleSession(out, flags, wwwroot);
  try {
    return await applyTool(
      { session, wwwroot, tool, settings: config.moodle, ...(flags.dryRun ? { dryRun: true } : {}) },
      {
        show: (plan) => showPlan(out, plan, wwwroot, tool),
        confirm: async (plan) => {
          if (flags.yes) return true;
          if (!out.interactive)
            throw new InsperaLtiError(
              'MISSING_FLAG',
              'init --apply writes to Moodle and asks first; there is no terminal to ask at',
              'add --yes to apply what is shown (or --dry-run to only show it)',
            );
          const { confirm } = await import('@inquirer/prompts');
          return confirm({
            message: `Save ${plan.toolId === undefined ? plan.named : `these changes to ${plan.named}`} in Moodle?`,
            default: false,
          });
        },
      },
    );
  } finally {
    await session.logout();
    await http.close();
  }
}

/** The plan for a person: what is kept, then each field that changes, in Moodle's words. */
function showPlan(out: Output, plan: ApplyPlan, wwwroot: string, tool: { domain: string; name: string }): void {
  if (out.json) return;
  if (plan.kept.length)
    out.print(
      "Kept as Moodle holds them (added beside init's values; init changes none of them): " +
        plan.kept.map((k) => `${k.label} ${JSON.stringify(printable(k.value, 300))}`).join('; '),
    );
  if (plan.toolId !== undefined && plan.changes.length === 0) return;
  out.print(
    plan.toolId === undefined
      ? `Moodle ${wwwroot} has no tool for ${tool.domain}: init --apply creates "${tool.name}" with`
      : `The Inspera tool in Moodle, ${plan.named}, changes in ${plan.changes.length} ` +
          `field${plan.changes.length === 1 ? '' : 's'}:`,
  );
  for (const change of plan.changes)
    out.print(`  ${change.label}: ${plan.toolId === undefined ? '' : `${change.from} → `}${change.to}`);
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
