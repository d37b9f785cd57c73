import type { CheckResult } from '../core/result.js';
import { fillFix, type FixValues } from '../core/fix-text.js';
import type { Config } from '../config/types.js';
import { diagnose, type DoctorReport, type Finding, type Unchecked } from './diagnosis.js';
import type { DoctorInputs, SourceReport } from './inputs.js';
import { SOURCES } from './sources/index.js';
import { versionNotes, type MoodleEvidence } from './moodle-version.js';
import { tellApart } from './tell-apart.js';
import { applyTicket, ticketFindings, type TicketReading } from './ticket.js';
import { recogniseSymptoms } from './symptoms.js';
import { securitySupport } from '../moodle/versions.js';

export type { DoctorInputs } from './inputs.js';

export interface DoctorResult extends DoctorReport {
  timeline: string[];
  token?: SourceReport['token'];
  /** The Moodle version as the inputs show it: the release and where it was seen, or the session cookie's SameSite. */
  moodle?: { release?: string; sessionSameSite?: string; from: string; support?: string };
  /** The evidence that would decide between the causes the inputs could not tell apart. */
  decide?: string;
  /** What the ticket's words say, when given (doctor --symptom). */
  ticket?: TicketReading;
}

/** What the config knows of a fix's placeholders: the tenant's real URLs (its templates honoured), the Platform ID. */
function fixValues(config: Config): FixValues {
  const tool = config.tool;
  const platformId = config.platform.platformId?.trim().replace(/\/+$/, '');
  return {
    ...(tool
      ? {
          redirectUrls: tool.urls.redirectUrls,
          keysetUrl: tool.urls.keysetUrl,
          toolOrigin: `${tool.scheme}://${tool.domain}`,
          toolHost: tool.domain,
        }
      : {}),
    ...(platformId ? { platformId } : {}),
  };
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
  const evidence: MoodleEvidence[] = [];
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
    if (report.moodle) evidence.push(report.moodle);
  }
  const recognised = inputs.symptom !== undefined ? recogniseSymptoms(inputs.symptom) : [];
  if (inputs.symptom !== undefined) described.push('ticket');
  findings.push(...ticketFindings(recognised, token));
  const told = tellApart(findings, passed, evidence);
  let report = diagnose(told.findings, passed, described, unchecked, accepted);
  // Explanations that hold for some Moodle versions only say which, from the evidence (or that it is not known).
  const versions = versionNotes(
    report.problems.map((p) => p.cause.id),
    evidence,
  );
  if (versions.unknown) report.unchecked.push({ what: versions.unknown });
  report.problems = report.problems.map((p) => {
    const note = versions.notes[p.cause.id];
    return {
      ...p,
      cause: {
        ...p.cause,
        ...(note ? { explanation: `${p.cause.explanation}. ${note}` } : {}),
        fix: fillFix(p.cause.fix, fixValues(inputs.config)),
      },
    };
  });
  if (!told.ranked && report.problems.length > 1) {
    const [first, second] = report.problems;
    report.verdict =
      `Not decided: "${first!.cause.title}" or "${second!.cause.title}" — the message fits both and nothing ` +
      'given tells them apart; a HAR of one failing launch or doctor --moodle decides.';
  }
  let ticket: TicketReading | undefined;
  let ticketDecide: string | undefined;
  if (inputs.symptom !== undefined) {
    const read = applyTicket(report, inputs.symptom, recognised, inputs);
    ({ report, ticket } = read);
    ticketDecide = read.decide;
  }
  const seen = evidence.find((e) => e.release) ?? evidence[0];
  const support = seen?.release ? securitySupport(seen.release) : undefined;
  const moodle = seen && {
    ...(seen.release ? { release: seen.release.number } : {}),
    ...(support ? { support } : {}),
    ...(seen.sessionSameSite ? { sessionSameSite: seen.sessionSameSite } : {}),
    from: seen.from,
  };
  return {
    ...report,
    timeline,
    ...(token ? { token } : {}),
    ...(moodle ? { moodle } : {}),
    ...(ticket ? { ticket } : {}),
    ...(ticketDecide
      ? { decide: ticketDecide }
      : told.decide && report.problems.length > 1
        ? { decide: told.decide }
        : {}),
  };
}
