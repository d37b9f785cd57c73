import { decodeJwt } from '../../lti/decode.js';
import { diagnoseToken } from '../from-token.js';
import type { DoctorSource } from '../inputs.js';
import { evidenceFromToken } from '../moodle-version.js';

/** A pasted id_token or client assertion: its form, claims and (with a keyset) signature. */
export const tokenSource: DoctorSource = {
  given: (inputs) => inputs.token !== undefined,
  async read({ token, config, keyset, keysetLabel }) {
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
