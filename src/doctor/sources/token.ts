import { decodeJwt } from '../../lti/decode.js';
import { diagnoseToken } from '../from-token.js';
import type { DoctorInputs, DoctorSource } from '../inputs.js';
import { evidenceFromToken } from '../moodle-version.js';

/**
 * The token of a ticket: a pasted id_token or client assertion, else the launch Moodle signed for an activity when
 * doctor --moodle read it through the mobile web service (no administrator rights) — its form, claims and (with a
 * keyset) signature.
 */
function tokenOf(inputs: DoctorInputs): DoctorInputs['token'] {
  if (inputs.token) return inputs.token;
  const moodle = inputs.moodle;
  if (moodle?.launchToken === undefined) return undefined;
  return {
    text: moodle.launchToken,
    source: `from Moodle (activity ${moodle.launchCmid}, mobile web service)`,
    route: 'mobile',
  };
}

export const tokenSource: DoctorSource = {
  given: (inputs) => tokenOf(inputs) !== undefined,
  async read(inputs) {
    const { config, keyset, keysetLabel } = inputs;
    const token = tokenOf(inputs);
    const described = `token ${token!.source}`;
    const decoded = decodeJwt(token!.text);
    if (!decoded.ok) return { described, findings: [], passed: [] };
    const found = await diagnoseToken({
      token: token!.text,
      config,
      keyset,
      source: 'token',
      ...(keysetLabel ? { keysetLabel } : {}),
    });
    const timeline: string[] = [];
    const moodle = evidenceFromToken(decoded.jwt.payload);
    const exp = decoded.jwt.payload.exp;
    const age = Math.floor(Date.now() / 1000) - (typeof exp === 'number' ? exp : Infinity);
    if (age > 0) {
      timeline.push(
        `the token expired ${age >= 120 ? `${Math.round(age / 60)} min` : `${age} s`} ` +
          `ago (Moodle's id_tokens live 60 s): whether ` +
          `it was still valid at launch needs the capture ` +
          `(--har) or the error text (--error)`,
      );
    }
    // Through the mobile web service the AGS claim never has a lineitem, on a healthy site too: nothing to judge.
    const mobile = token!.route === 'mobile';
    // Inspera's AGS expectation (inspera.ags) with the empty lineitem's cause.
    const lineitemFinding = (f: (typeof found.findings)[number]) =>
      f.id === 'inspera.ags' && f.cause.id === 'accept-grades';
    return {
      described,
      findings: mobile ? found.findings.filter((f) => !lineitemFinding(f)) : found.findings,
      passed: found.passed,
      unchecked: [
        ...found.unchecked,
        ...(mobile && found.findings.some(lineitemFinding)
          ? [
              {
                what:
                  '"Accept grades from the tool" (the grade item): not checkable by this route — Moodle\'s mobile ' +
                  "launch never names the line item; an administrator's doctor --moodle, a HAR or a browser " +
                  "launch's id_token shows it",
              },
            ]
          : []),
      ],
      timeline,
      token: { header: decoded.jwt.header, payload: decoded.jwt.payload },
      ...(moodle ? { moodle } : {}),
    };
  },
};
