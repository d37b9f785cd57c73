import type { CheckResult, Fix } from '../core/result.js';
import type { Config } from '../config/types.js';
import { decodeJwt } from '../lti/decode.js';
import { troubleshootingMessagesRef } from './catalogue.js';
import { diagnose, type DoctorReport, type Finding, type Unchecked } from './diagnosis.js';
import { diagnoseConfig } from './from-config.js';
import { diagnoseError } from './from-error.js';
import { diagnoseHar } from './from-har.js';
import { diagnoseToken } from './from-token.js';
import type { HarEntry } from './har/read.js';

export interface DoctorInputs {
  config: Config;
  configSource?: string;
  token?: { text: string; source: string };
  har?: { entries: HarEntry[]; source: string };
  error?: string;
  /** A keyset for signatures: parsed JSON, a reason it could not be had, or undefined. */
  keyset?: unknown;
  /** Where that keyset came from (a file, a URL), as findings name it. */
  keysetLabel?: string;
  /** Results of the live checks (validate), already run. */
  live?: CheckResult[];
  /** No address the live checks asked answered at all. */
  reachedNothing?: boolean;
}

export interface DoctorResult extends DoctorReport {
  timeline: string[];
  token?: { header: Record<string, unknown>; payload: Record<string, unknown> };
}

const LIVE_CAUSES: Record<string, string> = {
  'platform.discovery': 'issuer-mismatch', 'platform.keyset': 'wwwroot', 'platform.token': 'client-unknown', 'platform.auth': 'wwwroot',
  'platform.clock': 'clock-skew', 'tool.clock': 'clock-skew', 'tool.keyset': 'tool-keyset', 'tool.login-init': 'recorded-value', 'tool.launch': 'recorded-value',
  'tool.urls': 'recorded-value', 'config.platform': 'recorded-value',
};

/** Causes the evidence of a failed live check names, whichever check it was. */
const PROBLEM_CAUSES: Record<string, string> = { unreachable: 'unreachable', tls: 'tls', 'site-error': 'site-error', 'not-moodle': 'wwwroot' };

/** The cause a failed live check points at: from what went wrong (its problem), else from the value it compared. */
function liveCause(result: CheckResult): string {
  if (result.problem === 'keyset') return result.id === 'platform.keyset' ? 'platform-keyset' : 'tool-keyset';
  if (result.problem && PROBLEM_CAUSES[result.problem]) return PROBLEM_CAUSES[result.problem]!;
  return LIVE_CAUSES[result.id] ?? 'recorded-value';
}

/**
 * A cause's fix with the values this config knows put in: the tenant's real Redirection URI (its templates honoured)
 * and the Platform ID, instead of https://{domain}/… and {Platform ID}/….
 */
function fillFix(fix: Fix, config: Config): Fix {
  const urls = config.tool?.urls;
  const root = config.platform.platformId?.trim().replace(/\/+$/, '');
  const fill = (text: string) => {
    let out = text;
    if (urls) {
      // The config's own scheme: a test tool on http gets http URLs back, not https ones it does not serve.
      out = out.replaceAll('https://{domain}/ltiprovider/launch', urls.redirectUrls.join(' / '))
        .replaceAll('https://{domain}/ICSXapi/metadata/PublicCertificates', urls.keysetUrl)
        .replaceAll('https://{domain}', `${config.tool!.scheme}://${config.tool!.domain}`).replaceAll('{domain}', config.tool!.domain);
    }
    if (root) out = out.replaceAll('{Platform ID}', root);
    return out;
  };
  return { ...fix, action: fill(fix.action), ...(fix.value ? { value: fill(fix.value) } : {}) };
}

/** Turn whatever support has — config, live answers, a token, a capture, an error text — into one diagnosis. */
export async function runDoctor(inputs: DoctorInputs): Promise<DoctorResult> {
  const findings: Finding[] = [];
  const passed: CheckResult[] = [];
  const timeline: string[] = [];
  const described: string[] = [];
  const unchecked: Unchecked[] = [];
  const accepted: CheckResult[] = [];
  let token: DoctorResult['token'];

  if (inputs.configSource) {
    described.push(`config ${inputs.configSource}`);
    const fromConfig = diagnoseConfig(inputs.config);
    findings.push(...fromConfig.findings);
    passed.push(...fromConfig.passed);
  }
  for (const result of inputs.live ?? []) {
    if (result.status === 'pass') passed.push({ ...result, id: `live.${result.id}` });
    else if (result.acknowledged) accepted.push({ ...result, id: `live.${result.id}` });
    else if (result.status === 'fail' || result.status === 'warn') {
      findings.push({ cause: liveCause(result), source: 'live', severity: result.status, seen: `live: ${result.title}: ${result.finding}`, certainty: 25, ...(result.fix?.value ? { fixValue: result.fix.value } : {}) });
    }
  }
  if (inputs.live) described.push(`live checks (${inputs.live.length})`);
  if (inputs.reachedNothing) {
    findings.push({ cause: 'unreachable', source: 'live', severity: 'fail', seen: 'neither Moodle nor Inspera answered any request from this machine: nothing about the LTI settings can be judged from here', certainty: 30 });
  }
  if (inputs.token) {
    const decoded = decodeJwt(inputs.token.text);
    described.push(`token ${inputs.token.source}`);
    if (decoded.ok) {
      const fromToken = await diagnoseToken({ token: inputs.token.text, config: inputs.config, keyset: inputs.keyset, source: 'token', ...(inputs.keysetLabel ? { keysetLabel: inputs.keysetLabel } : {}) });
      findings.push(...fromToken.findings);
      passed.push(...fromToken.passed);
      unchecked.push(...fromToken.unchecked);
      token = { header: decoded.jwt.header, payload: decoded.jwt.payload };
      const exp = decoded.jwt.payload.exp;
      const age = Math.floor(Date.now() / 1000) - (typeof exp === 'number' ? exp : Infinity);
      if (age > 0) {
        timeline.push(`the token expired ${age >= 120 ? `${Math.round(age / 60)} min` : `${age} s`} ago (Moodle's id_tokens live 60 s): whether it was still valid at launch needs the capture (--har) or the error text (--error)`);
      }
    }
  }
  if (inputs.har) {
    described.push(`capture ${inputs.har.source} (${inputs.har.entries.length} requests)`);
    const fromHar = await diagnoseHar(inputs.har.entries, inputs.config, inputs.keyset);
    findings.push(...fromHar.findings);
    passed.push(...fromHar.passed);
    unchecked.push(...fromHar.unchecked);
    timeline.push(...fromHar.timeline);
  }
  if (inputs.error !== undefined) {
    described.push('error message');
    const fromError = diagnoseError(inputs.error);
    findings.push(...fromError);
    if (!fromError.length) {
      timeline.push(`the error message matched no known Moodle or LTI library message: "${inputs.error.slice(0, 120)}"`);
      // An error nobody could read is the ticket's own evidence unexplained: never "healthy", whatever else passed.
      unchecked.push({ what: `the error message: it matched no known Moodle or LTI library message (${troubleshootingMessagesRef()} lists the ones doctor knows)`, blocks: true });
    }
  }
  const report = diagnose(findings, passed, described, unchecked, accepted);
  report.problems = report.problems.map((p) => ({ ...p, cause: { ...p.cause, fix: fillFix(p.cause.fix, inputs.config) } }));
  return { ...report, timeline, ...(token ? { token } : {}) };
}
