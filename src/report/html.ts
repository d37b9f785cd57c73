/**
 * The self-contained HTML report: a sequence diagram of the launch (lanes Browser, Moodle, Inspera; one arrow per
 * hop, the failing one marked in red and in words), the verdict, the decoded id_token by group, the cookies and
 * every check. No scripts, no network (a CSP says so), printable, dark-mode aware; redacted like the Markdown report.
 */
import { CLAIM } from '../lti/claims.js';
import { redact } from '../util/redact.js';
import { describeParameter } from '../inspera/custom-parameters.js';
import { explainRole } from '../inspera/roles.js';
import { escapeHtml } from '../util/html.js';
import { printable } from '../util/printable.js';
import type { Hop, Lane, LaunchPicture } from '../sim/launch-picture.js';

const text = (value: unknown) =>
  escapeHtml(printable(redact(typeof value === 'string' ? value : JSON.stringify(value)), 2000));
const LANES: Lane[] = ['Browser', 'Moodle', 'Inspera'];
const X: Record<Lane, number> = { Browser: 110, Moodle: 420, Inspera: 730 };
const ROW = 46;

/** The page's style: rules that belong together on one line of the stylesheet. */
const STYLE = `\n${[
  [
    ':root { color-scheme: light dark; --fg: #1d1d1f; --bg: #fff; --dim: #666; --line: #999; --ok: #1a7f37;',
    '--fail: #c62828; --warn: #9a6700; --box: #f4f5f7; }',
  ],
  [
    '@media (prefers-color-scheme: dark) { :root { --fg: #e6e6e6; --bg: #16171a; --dim: #9a9a9a; --line: #777;',
    '--ok: #4cc36a; --fail: #ff6b6b; --warn: #e3b341; --box: #23252a; } }',
  ],
  [
    'body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg);',
    'margin: 2rem auto; max-width: 60rem; padding: 0 1rem; }',
  ],
  [
    'h1 { font-size: 1.4rem; margin-bottom: .2rem; }',
    'h2 { font-size: 1.1rem; margin-top: 2rem; border-bottom: 1px solid var(--line); }',
  ],
  ['.dim { color: var(--dim); } .ok { color: var(--ok); } .fail { color: var(--fail); } .warn { color: var(--warn); }'],
  [
    '.verdict { font-size: 1.1rem; font-weight: 600; }',
    '.failure { background: var(--box); border-left: 4px solid var(--fail); padding: .6rem 1rem; }',
  ],
  [
    'svg { width: 100%; height: auto; } svg text { fill: var(--fg); font: 13px ui-monospace, monospace; }',
    'svg .lane-name { font: 600 15px system-ui, sans-serif; }',
  ],
  [
    'svg .lane line { stroke: var(--line); stroke-dasharray: 4 4; }',
    '.hop line { stroke: var(--fg); stroke-width: 1.5; }',
  ],
  [
    '.hop[data-state="failed"] line { stroke: var(--fail); stroke-width: 3; }',
    '.hop[data-state="failed"] text { fill: var(--fail); font-weight: 700; }',
  ],
  [
    '.hop[data-state="missing"] line { stroke: var(--line); stroke-dasharray: 2 5; }',
    '.hop[data-state="missing"] text { fill: var(--dim); font-style: italic; }',
  ],
  [
    'table { border-collapse: collapse; width: 100%; }',
    'td, th { text-align: left; vertical-align: top; padding: .25rem .5rem; border-bottom: 1px solid var(--box); }',
  ],
  ['code { font: 13px ui-monospace, monospace; word-break: break-all; }'],
  ['@media print { body { margin: 0; max-width: none; } .failure { border: 1px solid #000; } }'],
]
  .map((line) => line.join(' '))
  .join('\n')}\n`;

function arrow(hop: Hop, index: number, missing: string): string {
  const y = 70 + index * ROW;
  const [x1, x2] = [X[hop.from], X[hop.to]];
  const mid = (x1 + x2) / 2;
  const status = hop.status !== undefined ? ` → ${hop.status}` : '';
  const time = hop.ms !== undefined ? ` · ${hop.ms} ms` : '';
  const what =
    hop.state === 'missing' ? `${hop.label} — ${missing}` : `${hop.method ?? ''} ${hop.path ?? ''}${status}${time}`;
  const mark = hop.state === 'failed' ? '✖ FAILED HERE: ' : '';
  const label = mark + (hop.state === 'missing' ? what : `${hop.label}: ${what}`);
  return `<g class="hop" data-hop="${hop.kind}" data-state="${hop.state}">
  <line x1="${x1}" y1="${y}" x2="${x2}" y2="${y}" marker-end="url(#head-${hop.state})"/>
  <text x="${mid}" y="${y - 7}" text-anchor="middle">${escapeHtml(label)}</text>
</g>`;
}

const HEAD_COLOUR = { ok: 'var(--fg)', failed: 'var(--fail)', missing: 'var(--line)' } as const;

function sequence(picture: LaunchPicture): string {
  if (!picture.hops.length)
    return '<p class="dim">No launch to draw: the inputs held no browser capture or simulation.</p>';
  const height = 90 + picture.hops.length * ROW;
  const heads = (['ok', 'failed', 'missing'] as const)
    .map(
      (s) =>
        `<marker id="head-${s}" viewBox="0 0 10 10" refX="9" ` +
        `refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path ` +
        `d="M0,0 L10,5 L0,10 z" fill="${HEAD_COLOUR[s]}"/></marker>`,
    )
    .join('');
  const lanes = LANES.map(
    (lane) =>
      `<g class="lane" data-lane="${lane}"><text class="lane-name" ` +
      `x="${X[lane]}" y="28" text-anchor="middle">${lane}</text><line ` +
      `x1="${X[lane]}" y1="40" x2="${X[lane]}" y2="${height - 10}"/></g>`,
  ).join('\n');
  const label = 'The launch between the Browser, Moodle and Inspera, one arrow per hop';
  return `<svg role="img" aria-label="${label}" viewBox="0 0 840 ${height}" xmlns="http://www.w3.org/2000/svg">
<defs>${heads}</defs>
${lanes}
${picture.hops.map((hop, i) => arrow(hop, i, picture.missing)).join('\n')}
</svg>`;
}

function rows(entries: Array<[string, unknown, string?]>): string {
  const row = ([k, v, note]: [string, unknown, string?]) =>
    `<tr><th>${escapeHtml(k)}</th><td><code>${text(v)}` +
    `</code>${note ? `<div class="dim">${escapeHtml(note)}</div>` : ''}</td></tr>`;
  return `<table>${entries.map(row).join('')}</table>`;
}

function tokenSection(token: NonNullable<LaunchPicture['token']>): string {
  const p = token.payload;
  const pick = (keys: string[]) =>
    keys.filter((k) => p[k] !== undefined).map((k): [string, unknown] => [k.split('/').pop()!, p[k]]);
  const roles = Array.isArray(p[CLAIM.roles]) ? (p[CLAIM.roles] as string[]) : [];
  const custom = (p[CLAIM.custom] ?? {}) as Record<string, unknown>;
  const header = text({ alg: token.header.alg, kid: token.header.kid });
  const context = [
    'iss',
    'aud',
    CLAIM.deploymentId,
    CLAIM.context,
    CLAIM.resourceLink,
    CLAIM.targetLinkUri,
    CLAIM.messageType,
    CLAIM.version,
  ];
  return `<p>Signature: <strong>${text(token.signature)}</strong> · header ${header}</p>
<h3>Identity</h3>${rows(pick(['sub', 'name', 'given_name', 'family_name', 'email', CLAIM.ext, CLAIM.lis]))}
<h3>Context</h3>${rows(pick(context))}
<h3>Roles</h3>${rows(roles.map((r): [string, unknown, string] => [r.split('#').pop() ?? r, r, explainRole(r).meaning]))}
<h3>Services</h3>${rows(pick([CLAIM.ags, CLAIM.nrps, CLAIM.basicOutcome]))}
<h3>Custom parameters</h3>${rows(
    Object.entries(custom).map(([k, v]): [string, unknown, string] => [
      k,
      v,
      describeParameter(k, String(v))
        .map((n) => n.message)
        .join('; '),
    ]),
  )}`;
}

export function launchHtml(picture: LaunchPicture, meta: { version: string; when: string }): string {
  const mark = picture.ok ? '<span class="ok">✔</span>' : '<span class="fail">✖</span>';
  const failed = picture.failure;
  const failedAt = failed ? (picture.hops.find((h) => h.kind === failed.hop)?.label ?? failed.hop) : '';
  const failure = failed
    ? `<div class="failure" data-failed-hop="${failed.hop}"><strong ` +
      `class="fail">✖ Failed at ${escapeHtml(failedAt)}.</strong> ` +
      `${text(failed.cause)}${failed.fix ? `<br><strong>Fix in</strong> ${text(failed.fix)}` : ''}</div>`
    : '';
  const made =
    `Made by inspera-lti ${escapeHtml(meta.version)} on ${escapeHtml(meta.when)}. Tokens, ` +
    `cookies and keys are left out; ids are kept.`;
  const notChecked = picture.notChecked ?? [];
  const items = notChecked.map((u) => `<li>${text(u)}</li>`).join('');
  const unchecked = notChecked.length ? `<section id="unchecked"><h2>Not checked</h2><ul>${items}</ul></section>` : '';
  const checkRow = (c: LaunchPicture['checks'][number]) =>
    `<tr data-status="${c.status}"><td>${checkMark(c.status)}</td><td>${escapeHtml(c.title)}` +
    `</td><td>${text(c.finding)}</td></tr>`;
  const checkMark = (s: string) =>
    s === 'pass'
      ? '<span class="ok">✔ pass</span>'
      : s === 'fail'
        ? '<span class="fail">✖ fail</span>'
        : s === 'warn'
          ? '<span class="warn">! warn</span>'
          : '<span class="dim">– skip</span>';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(picture.title)} — ${picture.ok ? 'ok' : 'failed'}</title>
<style>${STYLE}</style></head>
<body>
<header><h1>${escapeHtml(picture.title)}</h1>
<p class="dim">From ${text(picture.source)}. ${made}</p>
<p class="verdict" id="verdict">${mark} Verdict: ${text(picture.verdict)}</p></header>
<section id="sequence"><h2>The launch, hop by hop</h2>
${sequence(picture)}
${failure}</section>
${picture.token ? `<section id="token"><h2>The id_token</h2>${tokenSection(picture.token)}</section>` : ''}
<section id="cookies"><h2>Cookies</h2>${cookies(picture.cookies)}</section>
<section id="checks"><h2>Every check</h2><table>${picture.checks.map(checkRow).join('')}</table></section>
${unchecked}
</body></html>
`;
}

/** Each cookie and what browsers do with it, as the capture or the run showed it. */
function cookies(list: LaunchPicture['cookies']): string {
  if (!list.length) return '<p class="dim">No cookies in what was recorded.</p>';
  const history = (c: LaunchPicture['cookies'][number]) =>
    `<ol class="set-cookies">${c.history.map((h) => `<li>${escapeHtml(`${h.path}: ${h.set}`)}</li>`).join('')}</ol>`;
  const row = (c: LaunchPicture['cookies'][number]) =>
    `<tr data-cookie="${escapeHtml(c.name)}"><td><code>${escapeHtml(c.name)}</code></td>` +
    `<td>${escapeHtml(c.host)}</td>` +
    `<td>${history(c)}</td><td>${escapeHtml(c.sameSite)}${c.secure ? '; Secure' : ''}</td>` +
    `<td class="${c.ok ? 'ok' : 'warn'}">${escapeHtml(c.verdict)}</td></tr>`;
  return (
    '<table><tr><th>Cookie</th><th>Host</th><th>Every Set-Cookie, in order</th><th>SameSite</th>' +
    `<th>What browsers do</th></tr>${list.map(row).join('')}</table>`
  );
}
