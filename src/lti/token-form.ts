import type { CheckResult } from '../core/result.js';
import type { JsonObject } from './claims.js';
import type { DecodedJwt } from './decode.js';
import { isLocalTestHost } from '../util/ip.js';

/** 9999-12-31T23:59:59Z: past it a NumericDate is no date any system keeps (RFC 7519 §2 allows any number). */
const LAST_SECOND = 253_402_300_799;

/** RS256 signatures are as long as the key's modulus; LTI keys are 2048 to 8192 bits. */
const SIGNATURE_BYTES = { min: 2048 / 8, max: 8192 / 8 };

/** A token whose form fails was cut or altered on the way, or is not Moodle's: proof enough (certainty 20). */
function check(id: string, title: string, status: CheckResult['status'], finding: string): CheckResult {
  return {
    id,
    title,
    status,
    finding,
    ...(status === 'fail' ? { cause: { id: 'token-damaged', certainty: 20 } } : {}),
  };
}

/**
 * Why a NumericDate claim is not one (a number of seconds since 1970, not negative, before year 10000), or undefined.
 */
function numericDateProblem(value: unknown): string | undefined {
  if (typeof value !== 'number')
    return (
      `is ${value === null ? 'null' : `a ${Array.isArray(value) ? 'list' : typeof value}`}, ` +
      `not a number of seconds`
    );
  if (!Number.isFinite(value)) return 'is not a finite number';
  if (value < 0) return `is negative (${value})`;
  if (value > LAST_SECOND) return `is past the year 9999 (${value})`;
  return undefined;
}

/**
 * What an id_token must be before any key or registration is at hand: the signature's form, the time claims' types
 * and ranges, and iss and aud as LTI requires them (LTI Core 1.3 §5.1.2; Moodle signs RS256 with a 2048-bit key and
 * sends its wwwroot, without a trailing slash, as iss).
 */
export function tokenFormChecks(decoded: DecodedJwt, signatureText: string): CheckResult[] {
  const results: CheckResult[] = [];
  const { payload } = decoded;
  const signatureBytes = Buffer.from(signatureText, 'base64url').length;
  if (signatureText === '') {
    results.push(
      check(
        'form.signature',
        'Signature present',
        'fail',
        'the signature part is empty: an unsigned token (or cut off at the last dot)',
      ),
    );
  } else if (!/^[A-Za-z0-9_-]+$/.test(signatureText)) {
    results.push(
      check(
        'form.signature',
        'Signature present',
        'fail',
        'the signature part is not base64url (characters other than A–Z, ' +
          'a–z, 0–9, "-" and "_"): the token was altered or cut',
      ),
    );
  } else if (signatureBytes < SIGNATURE_BYTES.min || signatureBytes > SIGNATURE_BYTES.max) {
    results.push(
      check(
        'form.signature',
        'Signature present',
        'fail',
        `the signature is ${signatureBytes} ` +
          `bytes; an RS256 signature with a 2048–8192-bit ` +
          `key is ${SIGNATURE_BYTES.min}–${SIGNATURE_BYTES.max} ` +
          `(Moodle's: 256): the token was cut or altered`,
      ),
    );
  } else {
    results.push(
      check(
        'form.signature',
        'Signature present',
        'pass',
        `${signatureBytes} bytes (an RS256 key of ${signatureBytes * 8} bits)`,
      ),
    );
  }
  const times: Array<[string, boolean]> = [
    ['exp', true],
    ['iat', true],
    ['nbf', false],
  ];
  const badTimes = times.flatMap(([name, required]) => {
    if (!(name in payload)) return required ? [`${name} is missing`] : [];
    const problem = numericDateProblem(payload[name]);
    return problem ? [`${name} ${problem}`] : [];
  });
  results.push(
    badTimes.length
      ? check('form.times', 'Times are seconds since 1970', 'fail', badTimes.join('; '))
      : check(
          'form.times',
          'Times are seconds since 1970',
          'pass',
          `exp and iat${'nbf' in payload ? ' and nbf' : ''} are dates`,
        ),
  );
  results.push(issuerForm(payload.iss));
  const aud = payload.aud;
  const audOk =
    (typeof aud === 'string' && aud !== '') ||
    (Array.isArray(aud) && aud.length > 0 && aud.every((a) => typeof a === 'string' && a !== ''));
  results.push(
    audOk
      ? check('form.aud', 'Audience present', 'pass', `aud ${JSON.stringify(aud)}`)
      : check(
          'form.aud',
          'Audience present',
          'fail',
          aud === undefined
            ? 'no aud: the token names no tool it is for (Moodle sends the Client ID)'
            : `aud ${JSON.stringify(aud)} is not a Client ID or a list of them`,
        ),
  );
  return results;
}

function issuerForm(iss: JsonObject[string]): CheckResult {
  const title = "Issuer is the platform's https address";
  if (typeof iss !== 'string' || iss === '')
    return check('form.iss', title, 'fail', iss === undefined ? 'no iss' : `iss ${JSON.stringify(iss)} is not a URL`);
  let url: URL;
  try {
    url = new URL(iss);
  } catch {
    return check(
      'form.iss',
      title,
      'fail',
      `iss ${JSON.stringify(iss)} is not a URL (Moodle sends its address, e.g. https://moodle.example.edu)`,
    );
  }
  if (iss.endsWith('/'))
    return check(
      'form.iss',
      title,
      'fail',
      `iss ${JSON.stringify(iss)} ends with "/"; Moodle ` +
        `never sends one (its wwwroot has none), so this ` +
        `is not Moodle's issuer as sent`,
    );
  if (url.protocol === 'https:') return check('form.iss', title, 'pass', iss);
  if (url.protocol === 'http:' && isLocalTestHost(url.hostname))
    return check('form.iss', title, 'pass', `${iss} (a local test site)`);
  return check(
    'form.iss',
    title,
    'fail',
    `iss ${JSON.stringify(iss)} is not https: LTI 1.3 and Inspera require an https Platform ID`,
  );
}
