import { parseMoodleSiteUrl } from '../../moodle/site-url.js';
import { parseTenant } from '../../inspera/domain.js';
import { LAUNCH_CONTAINERS, type LaunchContainer } from '../../moodle/settings.js';
import { parseParameterPairs } from '../../config/custom-parameters-input.js';

export interface InitAnswers {
  domain?: string;
  moodleUrl?: string;
  name?: string;
  customText?: string;
  launchContainer?: LaunchContainer;
}

function validator(check: (value: string) => unknown): (value: string) => true | string {
  return (value) => {
    try {
      check(value);
      return true;
    } catch (error) {
      return error instanceof Error ? error.message.replace(/^--[\w-]+ /, '') : String(error);
    }
  };
}

/** Ask, one prompt each, for what the flags left open. Only called when prompting is allowed. */
export async function askInit(
  missing: InitAnswers & { need: Array<keyof InitAnswers> },
  allows: { allowInsecure: boolean; allowIdn: boolean },
): Promise<InitAnswers> {
  const { input, select } = await import('@inquirer/prompts');
  const answers: InitAnswers = {};
  if (missing.need.includes('domain')) {
    answers.domain = await input({
      message: 'Inspera tenant (e.g. university.inspera.com):',
      required: true,
      validate: validator((v) => parseTenant(v, allows)),
    });
  }
  if (missing.need.includes('moodleUrl')) {
    answers.moodleUrl = await input({
      message: 'Moodle site address (optional, e.g. https://moodle.example.edu):',
      validate: (v) => (v.trim() === '' ? true : validator((x) => parseMoodleSiteUrl(x, allows))(v)),
    });
  }
  if (missing.need.includes('name')) {
    answers.name = await input({ message: 'Tool name in Moodle:', default: missing.name ?? 'Inspera', required: true });
  }
  if (missing.need.includes('customText')) {
    answers.customText = await input({
      message: 'Custom parameters (name=value, separated by spaces; empty for none):',
      default: missing.customText ?? '',
      validate: validator((v) => parseParameterPairs(v.split(/\s+/), 'custom parameter')),
    });
  }
  if (missing.need.includes('launchContainer')) {
    answers.launchContainer = await select<LaunchContainer>({
      message: 'Default launch container:',
      default: missing.launchContainer ?? 'new-window',
      choices: (Object.keys(LAUNCH_CONTAINERS) as LaunchContainer[]).map((value) => ({
        value,
        name: LAUNCH_CONTAINERS[value].label + (value === 'new-window' ? ' (recommended: no cookie trouble)' : ''),
      })),
    });
  }
  return answers;
}
