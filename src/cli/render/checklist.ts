import type { ChalkInstance } from 'chalk';
import type { ChecklistItem } from '../../moodle/checklist.js';

/**
 * The checklist for a person: section headings, then "label  value" lines. Values are never followed by spaces;
 * multi-line values (Redirection URI(s), Custom parameters) stand alone on their own lines, unindented, so a
 * block copy pastes exactly.
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
    if (item.value.includes('\n')) {
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
