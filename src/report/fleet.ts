import type { ChalkInstance } from 'chalk';
import { fixLine } from '../core/fix-text.js';
import type { CheckResult } from '../core/result.js';
import type { FleetChange } from '../fleet/compare.js';
import type { ConnectionResult } from '../fleet/run.js';
import { escapeHtml } from '../util/html.js';
import { printable } from '../util/printable.js';
import type { Report, ReportMeta } from './reporters.js';

const ORDER = { fail: 0, warn: 1, ok: 2 } as const;

/** Worst first: failures, then warnings, then the healthy; the slowest first within each. */
function worstFirst(results: readonly ConnectionResult[]): ConnectionResult[] {
  return [...results].sort(
    (a, b) => ORDER[a.status] - ORDER[b.status] || b.seconds - a.seconds || a.name.localeCompare(b.name),
  );
}

function cut(text: string, width: number): string {
  const clean = printable(text, 1000);
  return clean.length > width ? `${clean.slice(0, width - 1)}…` : clean.padEnd(width);
}

function table(results: readonly ConnectionResult[], s: ChalkInstance): string[] {
  const mark = { ok: s.green('✔'), warn: s.yellow('!'), fail: s.red('✖') };
  const width = Math.min(40, Math.max(10, ...results.map((r) => r.name.length)));
  const columns = [
    'Connection'.padEnd(width),
    'Moodle'.padEnd(30),
    'Tenant'.padEnd(26),
    'First cause'.padEnd(36),
    'Time',
  ];
  const header = `  ${columns.join(' ')}`;
  return [
    s.bold(header),
    ...worstFirst(results).map((r) => {
      const cause = r.cause?.title ?? (r.status === 'fail' ? r.verdict : '');
      return (
        `${mark[r.status]} ${cut(r.name, width)} ${cut(r.moodle ?? '-', 30)} ${cut(r.tenant ?? '-', 26)} ` +
        `${cut(cause, 36)} ${r.seconds.toFixed(1)} s${r.duplicateOf ? s.dim(` (= ${r.duplicateOf})`) : ''}`
      );
    }),
  ];
}

function summary(results: readonly ConnectionResult[], seconds: number): string {
  const count = (status: ConnectionResult['status']) => results.filter((r) => r.status === status).length;
  return (
    `${results.length} connections in ${seconds.toFixed(1)} s: ` +
    `${count('fail')} failing, ${count('warn')} with warnings, ${count('ok')} healthy`
  );
}

/** One test case per connection: a failure carries the verdict, the first cause and its fix. */
function junitResults(results: readonly ConnectionResult[]): CheckResult[] {
  return results.map((r) => ({
    id: r.name,
    title: `${r.moodle ?? '(no Moodle)'} ↔ ${r.tenant ?? '(no tenant)'}`,
    status: r.status === 'ok' ? 'pass' : r.status,
    finding: r.cause ? `${r.cause.title}: ${r.verdict}` : r.verdict,
    ...(r.cause ? { fix: r.cause.fix } : {}),
  }));
}

function json(results: readonly ConnectionResult[], changes: readonly FleetChange[] | undefined, seconds: number) {
  return {
    ok: results.every((r) => r.status !== 'fail'),
    seconds,
    counts: Object.fromEntries(
      (['fail', 'warn', 'ok'] as const).map((k) => [k, results.filter((r) => r.status === k).length]),
    ),
    connections: worstFirst(results).map(({ diagnosis: _d, results: checks, ...rest }) => ({ ...rest, checks })),
    ...(changes ? { changes } : {}),
  };
}

function changeItem(c: FleetChange): string {
  return `<li><strong>${c.kind}</strong> ${escapeHtml(c.name)}: ${escapeHtml(c.detail)}</li>`;
}

/** The fleet page: every connection worst first, each linking its own report when one was written. */
function html(
  results: readonly ConnectionResult[],
  changes: readonly FleetChange[] | undefined,
  meta: ReportMeta,
  links: Map<string, string>,
): string {
  const row = (r: ConnectionResult) => {
    const name = links.has(r.name)
      ? `<a href="${escapeHtml(links.get(r.name)!)}">${escapeHtml(r.name)}</a>`
      : escapeHtml(r.name);
    const fix = r.cause ? escapeHtml(fixLine(r.cause.fix)) : '';
    return (
      `<tr data-status="${r.status}"><td>${{ ok: '✔', warn: '!', fail: '✖' }[r.status]}</td><td>${name}</td>` +
      `<td>${escapeHtml(r.moodle ?? '-')}</td><td>${escapeHtml(r.tenant ?? '-')}</td>` +
      `<td>${escapeHtml(r.cause?.title ?? r.verdict)}<div class="dim">${fix}</div></td>` +
      `<td>${r.seconds.toFixed(1)} s</td></tr>`
    );
  };
  const changed = changes?.length ? `<h2>Since last time</h2><ul>${changes.map(changeItem).join('')}</ul>` : '';
  const made = `Made by inspera-lti ${escapeHtml(meta.version)} on ${escapeHtml(meta.when)}.`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>LTI connections — ${escapeHtml(meta.when)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem; } td, th { text-align: left; padding: .2rem .5rem; }
tr[data-status="fail"] td:first-child { color: #c62828; } tr[data-status="warn"] td:first-child { color: #9a6700; }
.dim { color: #666; font-size: .9em; }</style></head>
<body><h1>LTI connections</h1><p class="dim">${made}</p>
${changed}
<table><tr><th></th><th>Connection</th><th>Moodle</th><th>Tenant</th><th>First cause</th><th>Time</th></tr>
${worstFirst(results).map(row).join('\n')}
</table></body></html>
`;
}

/** A fleet run for the reporters; `links` names each connection's own report page, when written. */
export function fleetReport(
  results: readonly ConnectionResult[],
  options: { seconds: number; changes?: FleetChange[]; links?: Map<string, string> },
): Report {
  const { seconds, changes } = options;
  return {
    name: 'fleet',
    seconds,
    results: () => junitResults(results),
    json: () => json(results, changes, seconds),
    human: (s) => [
      ...table(results, s),
      '',
      ...(changes
        ? [
            s.bold('Since last time'),
            ...(changes.length
              ? changes.map((c) => `  ${c.kind.padEnd(9)} ${printable(c.name, 200)}: ${printable(c.detail, 300)}`)
              : ['  nothing changed']),
            '',
          ]
        : []),
      `${results.some((r) => r.status === 'fail') ? s.red('✖') : s.green('✔')} ${summary(results, seconds)}`,
    ],
    html: async (meta) => html(results, changes, meta, options.links ?? new Map()),
  };
}
