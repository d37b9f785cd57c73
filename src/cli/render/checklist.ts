import type { ChalkInstance } from 'chalk';
import type { ChecklistItem } from '../../moodle/checklist.js';

/**
 * The checklist for a person: section headings, then "label  value" lines. Values are never followed by anything;
 * multi-line values (Redirection URI(s), Custom parameters), values with a hint and values too long for 80 columns
 * stand alone on their own lines, unindented, so a copy pastes exactly.
 */
export function renderChecklist(items: readonly ChecklistItem[], style: ChalkInstance): string[] {
  const width = Math.max(...items.map((i) => i.label.length)) + 2;
  const lines: string[] = [];
  let section = '';
  for (const item of items) {
    if (item.section !== section) {
      section = item.section;
      lines.push('', style.bold(section));
    }
    const note = item.note ? style.dim(`  (${item.note})`) : '';
    // A value with a hint, or too long for 80 columns beside its label, stands alone on the next line: a
    // triple-click copies the value and nothing else, and no terminal wraps it.
    const alone = item.value.includes('\n') || (item.value !== '' && (item.note || 2 + width + item.value.length > 80));
    if (alone) {
      lines.push(`  ${item.label}${note}`);
      for (const line of item.value.split('\n')) lines.push(style.cyan(line));
    } else if (item.value === '') {
      lines.push(`  ${item.label}${note}`);
    } else {
      lines.push(`  ${item.label.padEnd(width)}${style.cyan(item.value)}${note}`);
    }
  }
  return lines;
}
