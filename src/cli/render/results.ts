import type { ChalkInstance } from 'chalk';
import type { CheckResult } from '../../checks/types.js';

/** "→ fix: in Moodle, <where>, field "<field>": <value> — <action>", as one or two lines. */
export function renderFix(result: CheckResult, style: ChalkInstance): string[] {
  const fix = result.fix;
  if (!fix) return [];
  const target = [fix.system === 'inspera-lti' ? 'in the recorded values' : `in ${fix.system}`, fix.field ? `field "${fix.field}"` : undefined]
    .filter(Boolean).join(', ');
  const value = fix.value !== undefined && fix.value !== '' ? `: ${style.cyan(fix.value)}` : '';
  return [`${style.dim('→ fix')} ${target}${value} — ${fix.action}`];
}
