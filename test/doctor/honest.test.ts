import { goodClaims, unsignedToken } from '../helpers/unsigned-token.js';
import { describe, expect, it } from 'vitest';
import { runDoctor } from '../../src/doctor/doctor.js';
import { emptyConfig } from '../../src/config/load.js';
import { demoConfig } from '../helpers/sim.js';

/**
 * What doctor says must follow from the evidence, and an unread input is never health (issue 18, items 6–10): the
 * engine called directly (issue 27); test/e2e/doctor-honest.test.ts keeps one case of each family through the CLI.
 */
// The six values of https://moodle.example.edu, as the e2e file's init and record write them.
const config = demoConfig();
const causesOf = (result: { problems: Array<{ cause: { id: string } }> }) => result.problems.map((p) => p.cause.id);

describe('doctor --error reads what Moodle shows or posts back, in every form it is pasted', () => {
  it.each([
    ['a bare code', 'unauthorized_client', ['client-id']],
    ['the form body auth.php posts back', 'error=unauthorized_client&state=abc123', ['client-id']],
    [
      'the tool address with the error in its query',
      'https://university.inspera.com/ltiprovider/launch?error=access_denied&state=x',
      ['login-hint'],
    ],
    [
      'a description that names the parameter',
      'error=invalid_request&error_description=Invalid+response_mode',
      ['auth-request', 'token-request'],
    ],
    [
      'a description that only rewords the code',
      'error=invalid_request&error_description=Invalid+request',
      ['token-request', 'auth-request'],
    ],
    ["token.php's JSON", '{\n  "error" : "invalid_client"\n}', ['client-unknown']],
    ["token.php's invalid_request", '{"error" : "invalid_request"}', ['token-request', 'auth-request']],
    ["token.php's unsupported grant", '{"error" : "unsupported_grant_type"}', ['token-request']],
    ["token.php's scope refusal", 'error=invalid_scope', ['scope']],
    [
      'launch.php for a deleted tool',
      'The LTI tool used in this activity has been deleted. If you need ' +
        'help, contact your teacher or site administrator.',
      ['tool-deleted'],
    ],
    ['view.php for a missing activity', "Can't find data record in database table course_modules.", ['no-activity']],
    [
      'a timed-out session',
      'Your session has most likely timed out. Please check if you are ' +
        'logged in or go back to the previous screen and reload the page.',
      ['launch-state-lost'],
    ],
  ])('%s', async (_name, text, expected) => {
    const result = await runDoctor({ config, error: text });
    expect(result.ok).toBe(false);
    expect(causesOf(result)).toEqual(expected);
  });

  it('a near miss gets the nearest known message, said as such', async () => {
    const score = await runDoctor({ config, error: 'Refusing score with an earliest timestamp' });
    expect(score.problems[0]!.cause.id).toBe('score-timestamp');
    expect(score.problems[0]!.findings[0]!.finding).toMatch(
      /^not a known message word for word; the nearest is "Refusing score with an earlier timestamp/,
    );
    expect(causesOf(await runDoctor({ config, error: 'Invalid nonse.' }))[0]).toBe('state-cookie');
    // Unrelated words of a similar length are no near miss.
    expect((await runDoctor({ config, error: 'Printer out of paper' })).problems).toEqual([]);
  });
});

const token = unsignedToken;
const GOOD = goodClaims();
const now = GOOD.iat as number;

describe('doctor --token without a config or keyset checks everything that needs no key', () => {
  // What doctor has with no config file: the defaults.
  const bare = emptyConfig();
  const doctorToken = (text: string) => runDoctor({ config: bare, token: { text, source: 't.jwt' } });

  it.each([
    ['exp null', { exp: null }, /exp is null/],
    ['exp a string', { exp: String(now + 60) }, /exp is a string/],
    ['iat negative', { iat: -5 }, /iat is negative/],
    ['exp 1e300', { exp: 1e300 }, /exp is past the year 9999/],
    ['exp past the year 9999', { exp: 253_402_300_800 }, /exp is past the year 9999/],
    ['nbf a string', { nbf: 'soon' }, /nbf is a string/],
    ['no aud', { aud: undefined }, /no aud/],
    ['iss with a trailing slash', { iss: 'https://moodle.example.edu/' }, /ends with "\/"/],
    ['iss on http', { iss: 'http://moodle.example.edu' }, /is not https/],
    ['iss not a URL', { iss: 'moodle' }, /is not a URL/],
  ])('%s fails without any key', async (_name, change, words) => {
    const result = await doctorToken(token({ ...GOOD, ...change }));
    expect(result.ok).toBe(false);
    expect(result.problems[0]!.cause.id).toBe('token-damaged');
    expect(result.problems[0]!.findings.map((s) => s.finding).join(' ')).toMatch(words);
    // Times that are no dates are not read as a clock problem.
    expect(causesOf(result)).not.toContain('clock-skew');
  });

  it.each([
    ['empty', '', /signature part is empty/],
    ['not base64url', 'abc+/def', /not base64url/],
    ['too short for any RS256 key', Buffer.alloc(64, 1).toString('base64url'), /64 bytes/],
  ])('a signature that is %s fails without any key', async (_name, signature, words) => {
    const result = await doctorToken(token(GOOD, signature));
    expect(result.ok).toBe(false);
    expect(result.problems[0]!.cause.id).toBe('token-damaged');
    expect(result.problems[0]!.findings[0]!.finding).toMatch(words);
  });
});
