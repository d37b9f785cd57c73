import { relative } from 'node:path';
import type { InitResult } from '../../config/init-tool.js';
import { MANAGE_TOOLS_PATH } from '../../moodle/checklist.js';
import type { Output } from '../output.js';
import { renderChecklist } from './checklist.js';

/** init's outcome for a person (the form's checklist, what the parameters do, advice) or as one JSON document. */
export function presentInit(
  out: Output,
  result: InitResult,
  where: { tenant: string; site?: string | undefined },
): number {
  const { config, checklist, warnings, advice, explained, saved } = result;
  const customParameters = config.tool!.customParameters;
  if (out.json) {
    out.emitJson({
      ok: true,
      tool: {
        domain: where.tenant,
        name: config.tool!.name,
        urls: config.tool!.urls,
        customParameters,
        customParametersExplained: explained,
      },
      platform: config.platform,
      moodleForm: { where: MANAGE_TOOLS_PATH, fields: checklist },
      advice,
      warnings,
      config: saved ? { path: saved.path, outcome: saved.outcome, backup: saved.backup ?? null } : null,
    });
    return 0;
  }

  for (const warning of warnings) out.warn(warning);
  const s = out.style;
  out.print(s.bold(`Moodle: ${MANAGE_TOOLS_PATH}`));
  if (where.site)
    out.print(`Open ${where.site}/mod/lti/toolconfigure.php, then "configure a tool manually", and enter:`);
  else out.print('Enter these values in the form:');
  for (const line of renderChecklist(checklist, s)) out.print(line);
  if (explained.length) {
    out.print('');
    out.print(s.bold('What the custom parameters do'));
    for (const { name: parameter, meaning } of explained) out.print(`  ${parameter}: ${s.dim(meaning)}`);
  }
  for (const item of advice) out.warn(`${item.finding} — ${item.fix?.field}: ${item.fix?.value}`);
  out.print('');
  out.print(
    s.bold('Then:') +
      ' save the tool, open its "View configuration details" and run ' +
      s.cyan('inspera-lti record') +
      ' with the six values it shows.',
  );
  if (saved) {
    const shown = relative(process.cwd(), saved.path) || saved.path;
    out.log(
      saved.outcome === 'unchanged'
        ? `config ${shown} already up to date`
        : saved.outcome === 'replaced'
          ? `saved ${shown} (previous version kept as ${relative(process.cwd(), saved.backup!)})`
          : `saved ${shown}`,
    );
  }
  return 0;
}
