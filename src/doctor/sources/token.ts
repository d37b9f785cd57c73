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
    return {
      described,
      findings: found.findings,
      passed: found.passed,
      unchecked: found.unchecked,
      timeline,
      token: { header: decoded.jwt.header, payload: decoded.jwt.payload },
      ...(moodle ? { moodle } : {}),
    };
  },
};
