import { cause } from '../../core/causes.js';
import type { Check } from '../../core/result.js';
import { describeAnswer, result, troubleOf, type ValidateContext } from './context.js';

/** The probe's token: marked as the CLI's own, and no token at all to Moodle (it is not a JWT). */
export const PROBE_BEARER = 'Bearer inspera-lti-probe.not-a-token';

const REGISTRATION_PATH = '/mod/lti/openid-registration.php';

/**
 * Whether the Authorization header reaches Moodle's PHP, from one GET of openid-registration.php carrying a bearer
 * that is not a token. Moodle answers 401 "missing_registration_token" only when it sees no "Bearer " header
 * (mod/lti/openid-registration.php); a header that arrived gets its error page instead (an uncaught "Wrong number of
 * segments": HTTP 404 on the real 4.5.6). A stripped header makes every grade and roster call a bare 401.
 */
export const authorizationCheck: Check<ValidateContext> = {
  id: 'platform.authorization',
  title: 'Authorization header reaches Moodle',
  async run(ctx) {
    const rootUrl = (ctx.config.platform.platformId ?? '').trim().replace(/\/+$/, '');
    if (!rootUrl)
      return result(this.id, this.title, 'skip', 'not checked: no Platform ID recorded (run inspera-lti record)');
    const url = rootUrl + REGISTRATION_PATH;
    const answer = await ctx.get(url, { headers: { authorization: PROBE_BEARER }, followRedirects: false });
    if (!answer.ok)
      return result(this.id, this.title, 'fail', `${url}: ${answer.failure.message}`, { ...troubleOf(answer) });
    if (answer.status === 401 && answer.body.trim() === 'missing_registration_token')
      return result(
        this.id,
        this.title,
        'fail',
        `${url} answered "missing_registration_token" to a request that carried an Authorization header: the web ` +
          "server in front of Moodle does not pass it to PHP, so Moodle's grade and roster services answer every " +
          "call of Inspera's with 401",
        { cause: { id: 'authorization-stripped' }, fix: cause('authorization-stripped').fix },
      );
    return result(
      this.id,
      this.title,
      'pass',
      `${REGISTRATION_PATH} saw the header (${describeAnswer(answer)}, not "missing_registration_token")`,
    );
  },
};
