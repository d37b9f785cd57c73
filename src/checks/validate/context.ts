import type { Config } from '../../config/types.js';
import type { Prober, ProbeAnswer, ProbeOptions, ProbeResult } from '../../http/probe.js';
import type { CauseId } from '../../core/causes.js';
import type { CauseRef, CheckResult, Problem } from '../../core/result.js';
import { looksBinary, printable } from '../../util/printable.js';

export interface ValidateContext {
  config: Config;
  prober: Prober;
  timeoutMs: number;
  /** GET a URL once per run (several checks read the same answer). */
  get(url: string, options?: Partial<ProbeOptions>): Promise<ProbeResult>;
  /** Local clock in ms (tests may shift it). */
  nowMs(): number;
  /** The addresses a host name has, as this machine resolves it (an IP literal is its own); [] when it has none. */
  resolve(host: string): Promise<string[]>;
}

/** How long a name lookup may take before it counts as none. */
const RESOLVE_MS = 3_000;

/** The system resolver (what the browser's machine would use, roughly), bounded in time; never throws. */
async function lookupAll(host: string): Promise<string[]> {
  const bare = host.replace(/^\[|\]$/g, '');
  const { lookup } = await import('node:dns/promises');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string[]>((resolve) => {
    timer = setTimeout(() => resolve([]), RESOLVE_MS);
  });
  try {
    return await Promise.race([
      lookup(bare, { all: true }).then(
        (all) => all.map((a) => a.address),
        () => [],
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export function createValidateContext(
  config: Config,
  prober: Prober,
  timeoutMs: number,
  resolve: (host: string) => Promise<string[]> = lookupAll,
): ValidateContext {
  const cache = new Map<string, Promise<ProbeResult>>();
  return {
    config,
    prober,
    timeoutMs,
    get(url, options = {}) {
      const key = `${url} ${JSON.stringify(options)}`;
      let pending = cache.get(key);
      if (!pending) {
        pending = prober.probe(url, { timeoutMs, ...options });
        cache.set(key, pending);
      }
      return pending;
    },
    nowMs: () => Date.now(),
    resolve,
  };
}

export const MOODLE_DETAILS =
  'Moodle: Site administration > Plugins > Activity modules > ' +
  'External tool > Manage tools > (the Inspera tool) > View ' +
  'configuration details';
export const MOODLE_TOOL =
  'Moodle: Site administration > Plugins > Activity modules > External tool > Manage tools > (edit the Inspera tool)';
export const INSPERA_REG = "Inspera support: the tenant's LTI 1.3 registration of this Moodle";

/** A check's result; what came from a server is made printable (no raw control or bidi characters). */
export function result(
  id: string,
  title: string,
  status: CheckResult['status'],
  finding: string,
  extra: Pick<CheckResult, 'evidence' | 'fix' | 'faq' | 'acknowledged' | 'problem' | 'cause' | 'observed'> = {},
): CheckResult {
  return {
    id,
    title,
    status,
    finding: printable(finding, 1000),
    ...extra,
    ...(extra.evidence !== undefined ? { evidence: printable(extra.evidence) } : {}),
  };
}

/**
 * What a probe's answer shows went wrong: the way there (network, TLS), the site's error, or not the expected kind of
 * answer.
 */
function problemOf(answer: ProbeResult): Problem {
  if (!answer.ok) {
    const kind = answer.failure.kind;
    if (kind.startsWith('tls-')) return 'tls';
    if (kind === 'redirect-loop' || kind === 'too-many-redirects') return 'site-error';
    if (kind === 'too-large') return 'not-moodle';
    if (kind === 'bad-url') return 'mismatch';
    return 'unreachable';
  }
  if (answer.status >= 400) return 'site-error';
  return 'not-moodle';
}

/**
 * What a probe's answer shows, and the cause that names: no answer is the way there (or TLS), an error the site's, any
 * other answer an address that is not Moodle's (or the tool's) — for doctor, whichever check asked.
 */
export function troubleOf(answer: ProbeResult): { problem: Problem; cause: CauseRef } {
  const problem = problemOf(answer);
  const cause: CauseId =
    problem === 'unreachable' || problem === 'tls' || problem === 'site-error'
      ? problem
      : problem === 'mismatch'
        ? 'recorded-value'
        : 'wwwroot';
  return { problem, cause: { id: cause } };
}

/**
 * A redirect from a Moodle endpoint: to itself is a loop (the site misbehaves); elsewhere, the address is not its
 * wwwroot.
 */
export function redirectProblem(
  url: string,
  location: string | undefined,
): { loop: boolean; problem: Problem; cause: CauseRef } {
  const loop = location !== undefined && new URL(location, url).toString() === new URL(url).toString();
  return { loop, problem: loop ? 'site-error' : 'not-moodle', cause: { id: loop ? 'site-error' : 'wwwroot' } };
}

/** One line for what came back: "HTTP 200 application/json, 1234 bytes" or the network failure. */
export function describeAnswer(answer: ProbeResult): string {
  if (!answer.ok) return answer.failure.message;
  const type = answer.headers['content-type']?.split(';')[0] || 'no content type';
  const via = answer.redirects.length
    ? ` after ${answer.redirects.length} redirect${answer.redirects.length > 1 ? 's' : ''} to ${answer.finalUrl}`
    : '';
  return `HTTP ${answer.status} ${type}, ${answer.body.length}${answer.truncated ? '+ (cut off)' : ''} bytes${via}`;
}

export function looksLikeHtml(answer: ProbeAnswer): boolean {
  return /text\/html/i.test(answer.headers['content-type'] ?? '') || /^\s*<(!doctype|html)/i.test(answer.body);
}

/** JSON.parse that says why not. */
export function parseJson(answer: ProbeAnswer): { ok: true; value: unknown } | { ok: false; why: string } {
  if (answer.truncated)
    return {
      ok: false,
      why: `the answer is larger than the ${Math.round((1024 * 1024) / 1024)} KiB allowed (cut off)`,
    };
  if (looksLikeHtml(answer)) {
    const title = /<title>([^<]*)<\/title>/i.exec(answer.body)?.[1]?.trim();
    return { ok: false, why: `an HTML page${title ? ` ("${title}")` : ''} came back where JSON was expected` };
  }
  if (looksBinary(answer.body)) {
    const encoding = answer.headers['content-encoding'];
    const kind = encoding
      ? `, Content-Encoding ${encoding} that was not asked for`
      : /^\x1f(\x8b|\ufffd)/.test(answer.body)
        ? ', gzip-compressed without saying so'
        : /\u0000/.test(answer.body)
          ? ', UTF-16 or another binary encoding'
          : '';
    return { ok: false, why: `binary data came back where JSON was expected (${answer.body.length} bytes${kind})` };
  }
  try {
    return { ok: true, value: JSON.parse(answer.body) as unknown };
  } catch (error) {
    return {
      ok: false,
      why: `the answer is not valid JSON (${printable((error as Error).message.split('\n')[0]!, 160)})`,
    };
  }
}
