import { fixLine } from '../report/fix-text.js';
import { CAUSE_NOTES } from './cause-notes.js';
import { CAUSES } from './causes.js';

/** Where the troubleshooting catalogue lives, in the repository and the package. */
export const TROUBLESHOOTING = 'docs/troubleshooting.md';

/** The catalogue entry for a cause id, or for a failure-catalogue code a check carries (F.12 → its first cause). */
export function troubleshootingRef(causeOrCode: string): string | undefined {
  if (CAUSES.has(causeOrCode)) return `${TROUBLESHOOTING}#${causeOrCode}`;
  const byCode = [...CAUSES.values()].find((c) => c.faq === causeOrCode);
  return byCode ? `${TROUBLESHOOTING}#${byCode.id}` : undefined;
}

/** docs/troubleshooting.md, made from the cause catalogue (a test keeps the file in step with it). */
export function troubleshootingMarkdown(): string {
  const causes = [...CAUSES.values()].sort((a, b) => b.weight - a.weight);
  const lines = [
    '# Troubleshooting: what `inspera-lti doctor` can name',
    '',
    'Every cause `doctor` and `validate` can name, most likely to break a launch first. Each entry: what the user',
    'meets, how to confirm it with inspera-lti, the fix (which system, which screen, which field), and the question',
    'people ask about it. Findings point here by the anchor (`docs/troubleshooting.md#state-cookie`). This page is',
    'made from the code (`src/doctor/causes.ts`, `src/doctor/cause-notes.ts`); edit those, then',
    '`UPDATE_DOCS=1 npx vitest run test/unit/troubleshooting-doc.test.ts`.',
    '',
    ...causes.map((c) => `- [${c.title}](#${c.id})`),
    '',
  ];
  for (const c of causes) {
    const notes = CAUSE_NOTES[c.id]!;
    lines.push(`## ${c.id}`, '', `**${c.title}**`, '', `- **Symptom:** ${notes.symptom}.`, `- **Why:** ${c.explanation}.`,
      `- **Confirm:** ${notes.confirm}.`, `- **Fix** in ${fixLine(c.fix, (v) => `\`${v}\``)}.`, `- **FAQ:** ${notes.question}`, '');
  }
  return lines.join('\n');
}
