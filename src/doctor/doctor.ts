import type { CheckResult, Fix } from '../core/result.js';
import type { Config } from '../config/types.js';
import { diagnose, type DoctorReport, type Finding, type Unchecked } from './diagnosis.js';
import type { DoctorInputs, SourceReport } from './inputs.js';
import { SOURCES } from './sources/index.js';

export type { DoctorInputs } from './inputs.js';

export interface DoctorResult extends DoctorReport {
  timeline: string[];
  token?: SourceReport['token'];
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
      out = out
        .replaceAll('https://{domain}/ltiprovider/launch', urls.redirectUrls.join(' / '))
        .replaceAll('https://{domain}/ICSXapi/metadata/PublicCertificates', urls.keysetUrl)
        .replaceAll('https://{domain}', `${config.tool!.scheme}://${config.tool!.domain}`)
        .replaceAll('{domain}', config.tool!.domain);
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
  const accepted: CheckResult[] = [];
  const unchecked: Unchecked[] = [];
  const timeline: string[] = [];
  const described: string[] = [];
  let token: DoctorResult['token'];
  for (const source of SOURCES) {
    if (!source.given(inputs)) continue;
    const report = await source.read(inputs);
    described.push(report.described);
    findings.push(...report.findings);
    passed.push(...report.passed);
    accepted.push(...(report.accepted ?? []));
    unchecked.push(...(report.unchecked ?? []));
    timeline.push(...(report.timeline ?? []));
    token ??= report.token;
  }
  const report = diagnose(findings, passed, described, unchecked, accepted);
  report.problems = report.problems.map((p) => ({
    ...p,
    cause: { ...p.cause, fix: fillFix(p.cause.fix, inputs.config) },
  }));
  return { ...report, timeline, ...(token ? { token } : {}) };
}
