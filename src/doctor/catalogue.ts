import { isAbsolute, join, relative } from 'node:path';
import { installedPackage } from '../package-root.js';
import { fixLine } from '../core/fix-text.js';
import { CAUSE_NOTES } from './cause-notes.js';
import { CAUSES, isCauseId } from '../core/causes.js';
import { KNOWN_MESSAGES } from './messages.js';

/** Where the troubleshooting catalogue lives in the repository and in the package. */
const TROUBLESHOOTING = 'docs/troubleshooting.md';

/**
 * The catalogue as the person running the command can open it: the installed package's file (a global install puts it
 * far from the working directory), relative when it is under the working directory.
 */
function troubleshootingFile(cwd = process.cwd()): string {
  const root = installedPackage()?.root;
  if (!root) return TROUBLESHOOTING;
  const file = join(root, TROUBLESHOOTING);
  const fromHere = relative(cwd, file);
  return fromHere && !fromHere.startsWith('..') && !isAbsolute(fromHere) ? fromHere : file;
}

/** The catalogue entry for a cause id, or for a failure-catalogue code a check carries (F.12 → its first cause). */
export function troubleshootingRef(causeOrCode: string): string | undefined {
  if (isCauseId(causeOrCode)) return `${troubleshootingFile()}#${causeOrCode}`;
  const byCode = [...CAUSES.values()].find((c) => c.faq === causeOrCode);
  return byCode ? `${troubleshootingFile()}#${byCode.id}` : undefined;
}

/**
 * The entry as a report meant for someone else names it (a ticket, a JSON document): the page and its anchor in the
 * version that wrote it — the local path of this machine's copy means nothing to whoever reads the ticket.
 */
export function portableTroubleshootingRef(causeOrCode: string): string | undefined {
  const local = troubleshootingRef(causeOrCode);
  return local && `troubleshooting.md${local.slice(local.lastIndexOf('#'))} in ${packageName()}`;
}

/** Where the list of messages doctor recognises is, named portably (the text goes into reports too). */
export function troubleshootingMessagesRef(): string {
  return `troubleshooting.md#messages-doctor-recognises in ${packageName()}`;
}

function packageName(): string {
  const version = installedPackage()?.version;
  return version ? `inspera-lti ${version}` : 'inspera-lti';
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
    'made from the code (`src/core/causes.ts`, `src/doctor/cause-notes.ts`); edit those, then',
    '`UPDATE_DOCS=1 npx vitest run test/unit/troubleshooting-doc.test.ts`.',
    '',
    ...causes.map((c) => `- [${c.title}](#${c.id})`),
    '- [Messages doctor recognises](#messages-doctor-recognises)',
    '',
  ];
  for (const c of causes) {
    const notes = CAUSE_NOTES[c.id]!;
    lines.push(
      `## ${c.id}`,
      '',
      `**${c.title}**`,
      '',
      `- **Symptom:** ${notes.symptom}.`,
      `- **Why:** ${c.explanation}.`,
      `- **Confirm:** ${notes.confirm}.`,
      `- **Fix** in ${fixLine(c.fix, (v) => `\`${v}\``)}.`,
      `- **FAQ:** ${notes.question}`,
    );
    const said = KNOWN_MESSAGES.filter((m) => m.cause === c.id || m.also?.cause === c.id);
    if (said.length)
      lines.push(
        `- **Messages:** ${said
          .flatMap((m) => m.examples)
          .map(code)
          .join(' · ')}.`,
      );
    lines.push('');
  }
  lines.push(
    '## Messages doctor recognises',
    '',
    'Paste any of these to `inspera-lti doctor --error` (or `--error ' +
      '-` to read standard input). An OAuth error is read the',
    'same as the bare code, as the query string or form body Moodle posts back (`error=…&error_description=…`) or as',
    "token.php's JSON. A text that is a near copy of one of these (retyped, a word changed) is named as its nearest.",
    '',
    '| Message | Who says it, and what it means | Cause |',
    '|---|---|---|',
  );
  for (const known of KNOWN_MESSAGES) {
    const causes = [known.cause, ...(known.also ? [known.also.cause] : [])].map((id) => `[${id}](#${id})`).join(', ');
    lines.push(`| ${known.examples.map(code).join('<br>')} | ${cell(known.meaning)} | ${causes} |`);
  }
  lines.push('');
  return lines.join('\n');
}

function code(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  return `${fence}${cell(text)}${fence}`;
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|');
}
