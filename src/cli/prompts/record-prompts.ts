import { lintToolDetails } from '../../moodle/lint-tool-details.js';
import { TOOL_DETAIL_KEYS, TOOL_DETAIL_LABELS, endpointsFor, type ToolDetails } from '../../moodle/tool-details.js';

/** One prompt per value, each checked as it is typed; the URLs are offered as derived from the Platform ID. */
export async function askToolDetails(
  current: Partial<ToolDetails>,
  allows: { allowInsecure: boolean; allowIdn: boolean },
): Promise<ToolDetails> {
  const { input } = await import('@inquirer/prompts');
  const answers: Partial<ToolDetails> = {};
  for (const key of TOOL_DETAIL_KEYS) {
    const derived =
      answers.platformId && key in endpointsFor(answers.platformId)
        ? endpointsFor(answers.platformId)[key as keyof ReturnType<typeof endpointsFor>]
        : undefined;
    const fallback =
      key === 'platformId' || key === 'clientId' || key === 'deploymentId' ? current[key] : (derived ?? current[key]);
    const value = await input({
      message: `${TOOL_DETAIL_LABELS[key]}:`,
      required: true,
      ...(fallback ? { default: fallback } : {}),
      validate: (typed) => {
        const problem = lintToolDetails({ ...answers, [key]: typed.trim() }, allows).find(
          (r) => r.status === 'fail' && r.id.startsWith(`platform.${key}.`),
        );
        return problem ? problem.finding : true;
      },
    });
    answers[key] = value.trim();
  }
  return answers as ToolDetails;
}
