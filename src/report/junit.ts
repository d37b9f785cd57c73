import { printable, terminalSafe } from '../util/printable.js';
import type { CheckResult } from '../core/result.js';
import { cause } from '../core/causes.js';
import { fixLine } from '../core/fix-text.js';

function xml(text: string): string {
  return terminalSafe(text, false)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

export interface JunitSuite {
  name: string;
  results: CheckResult[];
  timeSeconds?: number;
}

/** JUnit XML, one testcase per check: fail → <failure>, skip → <skipped>; warnings pass with the finding as output. */
export function toJunit(suites: JunitSuite[]): string {
  const total = suites.reduce((n, s) => n + s.results.length, 0);
  const failures = suites.reduce((n, s) => n + s.results.filter((r) => r.status === 'fail').length, 0);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="inspera-lti" tests="${total}" failures="${failures}">`,
  ];
  for (const suite of suites) {
    const f = suite.results.filter((r) => r.status === 'fail').length;
    const s = suite.results.filter((r) => r.status === 'skip').length;
    lines.push(
      `  <testsuite name="${xml(suite.name)}" tests="${suite.results.length}" ` +
        `failures="${f}" skipped="${s}" time="${(suite.timeSeconds ?? 0).toFixed(3)}">`,
    );
    for (const result of suite.results) {
      const open = `    <testcase classname="${xml(suite.name)}" name="${xml(`${result.id}: ${result.title}`)}">`;
      if (result.status === 'fail') {
        // A CI log shows the failure text alone: with the cause the check names and its fix, not the symptom only.
        const named = result.cause ? cause(result.cause.id) : undefined;
        const fix = result.fix ?? named?.fix;
        const body = [
          printable(result.finding, 4000),
          ...(named ? [`Cause: ${named.title}`] : []),
          ...(fix ? [`Fix in ${printable(fixLine(fix), 4000)}`] : []),
        ].join('\n');
        lines.push(
          open,
          `      <failure message="${xml(printable(result.finding, 4000))}">${xml(body)}</failure>`,
          '    </testcase>',
        );
      } else if (result.status === 'skip') {
        lines.push(open, `      <skipped message="${xml(printable(result.finding, 4000))}"/>`, '    </testcase>');
      } else if (result.status === 'warn') {
        lines.push(
          open,
          `      <system-out>${xml('warning: ' + printable(result.finding, 4000))}</system-out>`,
          '    </testcase>',
        );
      } else {
        lines.push(open.replace(/>$/, '/>'));
      }
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}
