import { InsperaLtiError } from '../../errors.js';
import { explainRole, landingPage } from '../../inspera/roles.js';
import { CLAIM } from '../../lti/claims.js';
import { decodeJwt } from '../../lti/decode.js';
import { createOutput } from '../output.js';
import { readToken } from '../read-token.js';

export async function runRoles(
  roles: string[],
  flags: { token?: string; json?: boolean; color?: boolean },
): Promise<number> {
  const out = createOutput({ color: flags.color, json: flags.json, yes: true });
  const all = [...roles];
  if (flags.token) {
    const decoded = decodeJwt(await readToken(flags.token));
    const claim = decoded.ok ? decoded.jwt.payload[CLAIM.roles] : undefined;
    if (!Array.isArray(claim))
      throw new InsperaLtiError('INVALID_VALUE', '--token: the token has no roles claim', 'give an LTI id_token');
    all.push(...claim.map(String));
  }
  if (all.length === 0)
    throw new InsperaLtiError(
      'MISSING_FLAG',
      'no roles given',
      'e.g. inspera-lti roles Learner Instructor, or --token id_token.txt',
    );
  const explanations = all.map(explainRole);
  const inspera = explanations.filter((e) => e.kind === 'inspera').map((e) => e.input);
  const landing = inspera.length ? landingPage(inspera) : undefined;
  if (out.json) {
    out.emitJson({ roles: explanations, ...(inspera.length ? { landing: landing ?? null } : {}) });
  } else {
    for (const e of explanations)
      out.print(`${e.kind === 'unknown' ? out.style.yellow('?') : out.style.green('•')} ${e.input}: ${e.meaning}`);
    if (inspera.length)
      out.print(
        `Landing page (first matching rule): ` +
          (landing ??
            'none of the documented rules (Planner, Chief invigilator/Invigilator, Grader, Reporter) matches'),
      );
  }
  // A name that is neither an LTI nor an Inspera role is bad input.
  return explanations.some((e) => e.kind === 'unknown') ? 2 : 0;
}
