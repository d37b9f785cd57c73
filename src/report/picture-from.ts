import type { CheckResult } from '../core/result.js';
import { portableTroubleshootingRef } from '../doctor/catalogue.js';
import type { DoctorResult } from '../doctor/doctor.js';
import type { HarEntry } from '../doctor/har/read.js';
import { parseSetCookie } from '../http/set-cookie.js';
import { decodeJwt } from '../lti/decode.js';
import { autoSubmittedForm, isRepostForm } from '../util/html.js';
import { runVerdict } from '../sim/results.js';
import type { SimulationResult } from '../sim/simulate.js';
import { fixLine } from '../core/fix-text.js';
import {
  cookieVerdicts,
  firstFailingHop,
  hopsFrom,
  markFailed,
  type HopKind,
  type LaunchPicture,
  type RequestRecord,
} from '../sim/launch-picture.js';

/** auth.php's answer was what it should be: the id_token form, or the repost page on the way to it. */
function authFine(record: RequestRecord): boolean {
  const form = record.body ? autoSubmittedForm(record.body) : undefined;
  return form !== undefined && (form.fields.id_token !== undefined || isRepostForm(form));
}

function tokenOf(idToken: string | undefined, checks: CheckResult[]): LaunchPicture['token'] {
  if (!idToken) return undefined;
  const decoded = decodeJwt(idToken);
  if (!decoded.ok) return undefined;
  const signature = checks.find((c) => c.id.endsWith('jwt.signature'));
  return {
    header: decoded.jwt.header,
    payload: decoded.jwt.payload,
    signature: signature ? `${signature.status}: ${signature.finding}` : 'not checked',
  };
}

const GRADE_HOPS: Record<string, HopKind> = { token: 'token', score: 'score', readback: 'read-back' };

/** A simulation run (`simulate launch|grade`), drawn from the steps the simulated browser took and the tool's calls. */
export function pictureFromSimulation(kind: string, result: SimulationResult, checks: CheckResult[]): LaunchPicture {
  const records: RequestRecord[] = result.launch.steps.map((s) => ({
    method: s.method,
    url: s.url,
    status: s.status,
    ms: s.capture.ms,
    params: s.sent,
    body: s.capture.responseBody,
    setCookies: (s.capture.responseHeaders['set-cookie'] ?? '')
      .split('\n')
      .map(parseSetCookie)
      .filter((c) => c !== undefined),
  }));
  const platform = result.world.platform;
  const grade = result.grade;
  if (grade?.token)
    records.push({
      method: 'POST',
      url: `${platform}/mod/lti/token.php`,
      status: grade.token.status,
      params: {},
      setCookies: [],
    });
  for (const score of grade?.scores ?? [])
    records.push({ method: 'POST', url: score.url.split('?')[0]!, status: score.status, params: {}, setCookies: [] });
  if (grade?.readBack)
    records.push({
      method: 'GET',
      url: grade.readBack.url.split('?')[0]!,
      status: grade.readBack.status,
      params: {},
      setCookies: [],
    });
  for (const page of result.launch.tool?.provisioning?.pages ?? [])
    records.push({ method: 'GET', url: page.url.split('?')[0]!, status: page.status, params: {}, setCookies: [] });
  // Where it failed: first from the evidence on the wire, else from the stage the run stopped at.
  let failed = result.ok ? undefined : firstFailingHop(records, authFine);
  if (!result.ok && !failed)
    failed = result.launch.ok
      ? GRADE_HOPS[grade?.stage ?? '']
      : result.launch.stage === 'replay'
        ? 'id-token'
        : 'tool-answer';
  const verdict = runVerdict(result);
  const scenario = result.scenario;
  const failingCheck = result.launch.tool?.results.find((r) => r.status === 'fail' && r.fix);
  const token = tokenOf(result.launch.idToken, result.launch.tool?.results ?? []);
  return {
    title: `inspera-lti simulate ${kind}${scenario ? ` --scenario ${scenario.name}` : ''}`,
    source: `a simulated browser against ${platform} and ${result.world.tool}`,
    hops: markFailed(hopsFrom(records, { services: kind === 'grade' }), failed),
    missing: 'not reached',
    ...(failed
      ? {
          failure: {
            hop: failed,
            cause: scenario ? scenario.cause : verdict,
            ...(scenario
              ? { fix: fixLine(scenario.fix, (v) => v) }
              : failingCheck?.fix
                ? { fix: fixLine(failingCheck.fix, (v) => v) }
                : {}),
          },
        }
      : {}),
    verdict,
    ok: result.ok,
    ...(token ? { token } : {}),
    cookies: cookieVerdicts(records),
    checks,
  };
}

/** A doctor run; with a capture, the launch is drawn from it. */
export function pictureFromDoctor(result: DoctorResult, entries: HarEntry[] | undefined): LaunchPicture {
  const records: RequestRecord[] = (entries ?? []).map((e) => ({
    method: e.method,
    url: e.url.toString(),
    status: e.status,
    params: Object.fromEntries(e.params),
    body: e.body,
    setCookies: e.setCookies.map((c) => ({
      name: c.name,
      ...(c.sameSite ? { sameSite: c.sameSite } : {}),
      secure: c.secure,
      ...(c.deletes ? { deletes: true } : {}),
    })),
  }));
  const top = result.problems.find((p) => p.severity === 'fail');
  const failed = top ? firstFailingHop(records, authFine) : undefined;
  const idToken = entries?.find((e) => e.method === 'POST' && e.formParams.has('id_token'))?.formParams.get('id_token');
  const token = tokenOf(idToken, result.passed);
  return {
    title: 'inspera-lti doctor',
    source: result.inputs.join(', ') || 'nothing',
    hops: entries ? markFailed(hopsFrom(records), failed) : [],
    missing: 'not in the capture',
    ...(top
      ? {
          failure: {
            hop: failed ?? 'tool-answer',
            cause: `${top.cause.title}: ${top.cause.explanation}`,
            fix:
              `${fixLine(top.cause.fix, (v) => v, top.findings.find((f) => f.fix?.value)?.fix?.value)} ` +
              `(${portableTroubleshootingRef(top.cause.id)})`,
          },
        }
      : {}),
    verdict: result.verdict,
    ok: result.ok,
    ...(token ? { token } : result.token ? { token: { ...result.token, signature: 'see the checks' } } : {}),
    cookies: cookieVerdicts(records),
    checks: [
      ...result.problems.map(
        (p) =>
          ({
            id: p.cause.id,
            title: p.cause.title,
            status: p.severity,
            finding: p.findings.map((f) => f.finding).join('; '),
          }) as CheckResult,
      ),
      ...result.passed,
    ],
    notChecked: result.unchecked.map((u) => u.what),
  };
}
