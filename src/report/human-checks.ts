import type { ChalkInstance } from 'chalk';
import type { CheckResult } from '../core/result.js';
import { troubleshootingRef } from '../doctor/catalogue.js';
import { printable } from '../util/printable.js';
import { fixLine } from '../core/fix-text.js';

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
      lines.push(
        `${indent}    ${s.dim('→ fix in')} ${fixLine(result.fix, (v) => s.cyan(v))}` +
          `${result.faq && troubleshootingRef(result.faq) ? s.dim(` [${troubleshootingRef(result.faq)}]`) : ''}`,
      );
    }
  }
  return lines;
}
