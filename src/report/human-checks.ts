import type { ChalkInstance } from 'chalk';
import type { CheckResult } from '../core/result.js';
import { troubleshootingRef } from '../doctor/catalogue.js';
import { printable } from '../util/printable.js';
import { fixLine } from '../core/fix-text.js';

/** A fix's value on the terminal: it may come from outside (an answer, a stored field), so it stays on its line. */
export const shownValue = (s: ChalkInstance) => (value: string) => s.cyan(printable(value, 1000));

export function statusMark(status: CheckResult['status'], s: ChalkInstance): string {
  return status === 'pass'
    ? s.green('✔')
    : status === 'warn'
      ? s.yellow('!')
      : status === 'fail'
        ? s.red('✖')
        : s.dim('-');
}

/** One line per check (✔ / ! / ✖ / -), and under each failure or warning the fix: system, field, value. */
export function renderChecks(results: readonly CheckResult[], s: ChalkInstance, indent = '  '): string[] {
  const lines: string[] = [];
  for (const result of results) {
    const said = printable(result.finding, 1000);
    const finding = result.status === 'fail' ? s.red(said) : result.status === 'warn' ? s.yellow(said) : s.dim(said);
    lines.push(`${indent}${statusMark(result.status, s)} ${result.title}: ${finding}`);
    if (result.fix && (result.status === 'fail' || result.status === 'warn')) {
      // The cause the check names has its own entry; a FAQ code only says which family (several causes share one).
      const ref = result.cause ? troubleshootingRef(result.cause.id) : result.faq && troubleshootingRef(result.faq);
      lines.push(
        `${indent}    ${s.dim('→ fix in')} ${fixLine(result.fix, shownValue(s))}${ref ? s.dim(` [${ref}]`) : ''}`,
      );
    }
  }
  return lines;
}
