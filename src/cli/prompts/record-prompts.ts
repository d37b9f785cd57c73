import { lintToolDetails } from '../../moodle/lint-tool-details.js';
import { readToolDetailsText } from '../../moodle/parse-tool-details.js';
import { TOOL_DETAIL_KEYS, TOOL_DETAIL_LABELS, endpointsFor, type ToolDetails } from '../../moodle/tool-details.js';
import { isInsperaLtiError } from '../../errors.js';

/** A paste arrives as one burst of lines; typing one value ends with Enter and a pause. */
const PASTE_SETTLES_MS = 150;

/**
 * The first question, read line by line: a Platform ID typed, or the whole dialog pasted at once (its lines arrive
 * together; the question ends when no more come).
 */
async function firstAnswer(question: string): Promise<string[]> {
  const { createInterface } = await import('node:readline');
  const lines: string[] = [];
  const reader = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  return new Promise((resolve, reject) => {
    let settle: NodeJS.Timeout | undefined;
    let done = false;
    const finish = () => {
      done = true;
      clearTimeout(settle);
      reader.close();
      resolve(lines);
    };
    reader.on('line', (line) => {
      lines.push(line);
      clearTimeout(settle);
      settle = setTimeout(finish, PASTE_SETTLES_MS);
    });
    // Ctrl-C, or Ctrl-D before any answer: cancelled, as at the other prompts.
    const cancel = () => {
      if (done) return;
      done = true;
      clearTimeout(settle);
      reader.close();
      reject(Object.assign(new Error('cancelled'), { name: 'ExitPromptError' }));
    };
    reader.on('SIGINT', cancel);
    reader.on('close', () => (lines.length ? finish() : cancel()));
    reader.setPrompt(question);
    reader.prompt();
  });
}

/** What the first answer holds: the values of a pasted dialog, or the Platform ID typed. */
function readFirstAnswer(lines: string[]): Partial<ToolDetails> {
  const text = lines.join('\n').trim();
  if (text === '') return {};
  try {
    const read = readToolDetailsText(text, 'the pasted text');
    // One bare URL typed is the Platform ID, whatever its path: the lint names a wrong one.
    if (lines.filter((l) => l.trim()).length === 1 && !Object.values(read.sources).some((s) => s?.by === 'label'))
      return { platformId: text };
    return read.values;
  } catch (error) {
    if (isInsperaLtiError(error) && lines.length === 1) return { platformId: text };
    throw error;
  }
}

/**
 * One prompt per value, each checked as it is typed; the URLs are offered as derived from the Platform ID. Pasting
 * the whole dialog at the first question fills every value it holds, and only what is still missing is asked.
 */
export async function askToolDetails(
  current: Partial<ToolDetails>,
  allows: { allowInsecure: boolean; allowIdn: boolean },
): Promise<ToolDetails> {
  const pasted = readFirstAnswer(
    await firstAnswer(
      `? ${TOOL_DETAIL_LABELS.platformId} (or paste the whole Tool configuration details dialog)` +
        `${current.platformId ? ` (${current.platformId})` : ''}: `,
    ),
  );
  const answers: Partial<ToolDetails> = { ...pasted };
  if (answers.platformId === undefined && current.platformId) answers.platformId = current.platformId;
  const { input } = await import('@inquirer/prompts');
  for (const key of TOOL_DETAIL_KEYS) {
    if (answers[key] !== undefined) continue;
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
