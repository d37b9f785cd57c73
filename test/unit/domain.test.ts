import { describe, expect, it } from 'vitest';
import { pattern } from '../helpers/pattern.js';
import type { InsperaLtiError } from '../../src/errors.js';
import { parseTenant } from '../../src/inspera/domain.js';
import { toolUrlsFor } from '../../src/inspera/urls.js';

function failure(input: string, options = {}): InsperaLtiError {
  try {
    parseTenant(input, options);
  } catch (error) {
    return error as InsperaLtiError;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
}

describe('parseTenant', () => {
  it.each([
    ['university.inspera.com', 'university.inspera.com'],
    ['https://University.Inspera.com/', 'university.inspera.com'],
    ['  uni.inspera.com \t', 'uni.inspera.com'],
    ['HTTPS://UNI.INSPERA.COM', 'uni.inspera.com'],
    ['uni.inspera.com.', 'uni.inspera.com'],
    ['uni.inspera.com:443', 'uni.inspera.com'],
  ])('accepts %j as %s', (input, domain) => {
    const tenant = parseTenant(input);
    expect(tenant.domain).toBe(domain);
    expect(tenant.scheme).toBe('https');
    expect(tenant.warnings).toEqual([]);
  });

  it("keeps another port, with a warning about Moodle's allowed ports", () => {
    const tenant = parseTenant('uni.inspera.com:8443');
    expect(tenant.domain).toBe('uni.inspera.com:8443');
    expect(tenant.warnings).toEqual([
      expect.stringMatching(/port 8443 — Moodle's outgoing calls .* 80 and 443 only by default/),
    ]);
  });

  it.each([
    [
      'a Cyrillic letter among Latin ones',
      'university.insреra.com',
      pattern(
        /mixes Latin letters with Cyrillic or Greek ones in "insреra": "р" \(U\+0440, Cyrillic, looks /,
        /like "p"\), "е" \(U\+0435, Cyrillic, looks like "e"\) — it is university\.xn--[\w-]+\.com on the wire/,
      ),
    ],
    [
      'a Greek letter among Latin ones',
      'οslo.inspera.com',
      /mixes Latin letters with Cyrillic or Greek ones in "οslo": "ο" \(U\+03BF, Greek, looks like "o"\)/,
    ],
    [
      'a dotless i',
      'unıversity.inspera.com',
      /letters that look like plain ones but are not: "ı" \(U\+0131, Latin, looks like "i"\)/,
    ],
    ['a whole label in Cyrillic lookalikes', 'уаое.inspera.com', /letters that look like plain ones but are not/],
    ['emoji', 'exams😀.inspera.com', /has emoji: "😀"/],
  ])('refuses a lookalike host: %s, showing the punycode form', (_name, input, words) => {
    expect(() => parseTenant(input)).toThrowError(words);
    expect(() => parseTenant(input)).toThrowError(/on the wire/);
  });

  it('a genuine internationalised domain goes through with allowIdn; a Latin–Cyrillic mix and emoji never do', () => {
    expect(() => parseTenant('bücher.inspera.com')).toThrowError(/letters outside plain ASCII: "ü"/);
    try {
      parseTenant('bücher.inspera.com');
    } catch (error) {
      expect((error as InsperaLtiError).hint).toMatch(/--allow-idn/);
    }
    const tenant = parseTenant('bücher.inspera.com', { allowIdn: true });
    expect(tenant.domain).toBe('xn--bcher-kva.inspera.com');
    expect(tenant.warnings.join(' ')).toMatch(/bücher\.inspera\.com is xn--bcher-kva\.inspera\.com on the wire/);
    expect(parseTenant('экзамен.inspera.com', { allowIdn: true }).domain).toMatch(/^xn--/);
    expect(() => parseTenant('university.insреra.com', { allowIdn: true })).toThrowError(/mixes Latin/);
    expect(() => parseTenant('exams😀.inspera.com', { allowIdn: true })).toThrowError(/emoji/);
  });

  it('drops a pasted path with a warning', () => {
    const tenant = parseTenant('https://uni.inspera.com/ltiprovider/launch?x=1');
    expect(tenant.domain).toBe('uni.inspera.com');
    expect(tenant.warnings[0]).toContain('dropped "/ltiprovider/launch?x=1"');
  });

  it.each([
    ['', 'is empty'],
    ['uni inspera.com', 'contains whitespace'],
    ['inspera', 'has no dot'],
    ['http://uni.inspera.com', 'uses http://'],
    ['ftp://uni.inspera.com', 'uses the scheme "ftp://"'],
    ['10.0.0.5', 'is an IP address'],
    ['localhost', 'is localhost'],
    ['https://user:pw@uni.inspera.com', 'user name or password'],
    ['uni_.inspera.com', 'not a valid host name'],
    ['-uni.inspera.com', 'not a valid host name'],
    ['uni.inspera.com:0', 'has port 0'],
    [
      `${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.inspera.com`,
      'a host name has at most 253',
    ],
    ['inspera.com', "is Inspera's own site, not a tenant"],
  ])('rejects %j (%s)', (input, why) => {
    const error = failure(input);
    expect(error.code).toBe('INVALID_DOMAIN');
    expect(error.message).toContain(why);
    expect(error.hint).toBeTruthy();
  });

  it('permits local http test tools only with allowInsecure', () => {
    expect(parseTenant('http://127.0.0.1:8080', { allowInsecure: true })).toMatchObject({
      domain: '127.0.0.1:8080',
      scheme: 'http',
    });
    expect(parseTenant('localhost:3000', { allowInsecure: true }).domain).toBe('localhost:3000');
    expect(failure('127.0.0.1').code).toBe('INVALID_DOMAIN');
  });

  it('warns about Inspera Originality, a different product', () => {
    expect(parseTenant('lti-originality.inspera.com').warnings[0]).toContain('Originality');
  });
});

describe('toolUrlsFor', () => {
  it("fills Inspera's documented templates", () => {
    expect(toolUrlsFor('uni.inspera.com')).toEqual({
      keysetUrl: 'https://uni.inspera.com/ICSXapi/metadata/PublicCertificates',
      loginInitUrl: 'https://uni.inspera.com/ltiprovider/init',
      toolUrl: 'https://uni.inspera.com/ltiprovider/launch',
      redirectUrls: ['https://uni.inspera.com/ltiprovider/launch'],
    });
  });

  it('takes overridden templates and keeps http for a local test tool', () => {
    const urls = toolUrlsFor('127.0.0.1:9000', 'http', {
      loginInitUrl: 'https://{domain}/lti/login',
      redirectUrls: ['https://{domain}/a', 'https://{domain}/b'],
    });
    expect(urls.loginInitUrl).toBe('http://127.0.0.1:9000/lti/login');
    expect(urls.redirectUrls).toEqual(['http://127.0.0.1:9000/a', 'http://127.0.0.1:9000/b']);
    expect(urls.keysetUrl).toBe('http://127.0.0.1:9000/ICSXapi/metadata/PublicCertificates');
  });
});
