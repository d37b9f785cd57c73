import type { Fix } from './result.js';

/** Where a fix is made: "Moodle › Site administration > … › "Field"" (the system named once). */
function fixWhere(fix: Fix): string {
  const system = fix.system === 'inspera-lti' ? 'the recorded values (inspera-lti)' : fix.system;
  const where = fix.where?.replace(/^(Moodle|Inspera support|Inspera): /, '');
  return [system, where && where !== fix.system ? where : undefined, fix.field ? `"${fix.field}"` : undefined]
    .filter(Boolean)
    .join(' › ');
}

/** The whole fix in one line: where, the value to put there (styled by the caller), and what to do. */
export function fixLine(fix: Fix, value: (text: string) => string = (text) => text, valueOverride?: string): string {
  const shown = valueOverride ?? fix.value;
  return `${fixWhere(fix)}${shown ? ` = ${value(shown)}` : ''}: ${fix.action}`;
}
