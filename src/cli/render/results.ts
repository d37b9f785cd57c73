import type { ChalkInstance } from 'chalk';
import type { CheckResult } from '../../core/result.js';
import { fixLine } from '../../core/fix-text.js';

/** "→ fix in <system> › <where> › "<field>" = <value>: <action>". */
export function renderFix(result: CheckResult, style: ChalkInstance): string[] {
  if (!result.fix) return [];
  return [`${style.dim('→ fix in')} ${fixLine(result.fix, (v) => style.cyan(v))}`];
}
