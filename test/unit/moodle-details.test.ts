import { describe, expect, it } from 'vitest';
import { pattern } from '../helpers/pattern.js';
import { lintToolDetails } from '../../src/moodle/lint-tool-details.js';
import { parseToolDetailsText, readToolDetailsText } from '../../src/moodle/parse-tool-details.js';
import { parseMoodleSiteUrl } from '../../src/moodle/site-url.js';
import { endpointsFor, type ToolDetails } from '../../src/moodle/tool-details.js';

const GOOD: ToolDetails = {
  platformId: 'https://moodle.example.edu',
  clientId: 'EhdzqulqmXxNDkw',
  deploymentId: '3',
  ...endpointsFor('https://moodle.example.edu'),
};

function ids(details: Partial<ToolDetails>, options = {}): string[] {
  return lintToolDetails(details, options).map((r) => `${r.status}:${r.id}`);
}

describe('lintToolDetails', () => {
  it('finds nothing wrong with real Moodle values', () => {
    expect(lintToolDetails(GOOD)).toEqual([]);
    const sub = 'https://uni.example.edu/moodle';
    expect(lintToolDetails({ ...GOOD, platformId: sub, ...endpointsFor(sub) })).toEqual([]);
  });

  it.each<[string, Partial<ToolDetails>, string]>([
    ['trailing slash', { platformId: 'https://moodle.example.edu/' }, 'fail:platform.platformId.trailing-slash'],
    ['http', { platformId: 'http://moodle.example.edu' }, 'fail:platform.platformId.http'],
    ['spaces around', { clientId: ' EhdzqulqmXxNDkw' }, 'fail:platform.clientId.surrounding-whitespace'],
    ['space inside', { platformId: 'https://moodle.example .edu' }, 'fail:platform.platformId.inner-whitespace'],
    ['zero-width space', { clientId: 'Ehdzqulqm\u200bXxNDkw' }, 'fail:platform.clientId.invisible-character'],
    ['client id shape', { clientId: 'abc' }, 'warn:platform.clientId.shape'],
    ['URL in client id', { clientId: 'https://moodle.example.edu/mod/lti/auth.php' }, 'fail:platform.clientId.is-url'],
    ['deployment id not a number', { deploymentId: 'three' }, 'warn:platform.deploymentId.not-number'],
    [
      'keyset on another host',
      { publicKeysetUrl: 'https://other.example.edu/mod/lti/certs.php' },
      'fail:platform.publicKeysetUrl.other-host',
    ],
    [
      'wrong path',
      { accessTokenUrl: 'https://moodle.example.edu/mod/lti/token' },
      'fail:platform.accessTokenUrl.wrong-path',
    ],
    [
      'swapped URLs',
      { authRequestUrl: 'https://moodle.example.edu/mod/lti/token.php' },
      'fail:platform.authRequestUrl.swapped',
    ],
    [
      'endpoint as platform id',
      { platformId: 'https://moodle.example.edu/mod/lti/auth.php' },
      'fail:platform.platformId.is-endpoint',
    ],
    [
      'missing sub-path',
      { platformId: 'https://moodle.example.edu/moodle' },
      'fail:platform.publicKeysetUrl.not-under-platform-id',
    ],
  ])('names %s', (_name, change, expected) => {
    expect(ids({ ...GOOD, ...change })).toContain(expected);
  });

  it('spots client and deployment ids swapped', () => {
    expect(ids({ ...GOOD, clientId: '3', deploymentId: 'EhdzqulqmXxNDkw' })).toContain(
      'fail:platform.deploymentId.swapped-with-client-id',
    );
  });

  it('gives the corrected value in the fix when it can', () => {
    const [finding] = lintToolDetails({ ...GOOD, platformId: 'https://moodle.example.edu/' }).filter((r) =>
      r.id.endsWith('trailing-slash'),
    );
    expect(finding?.fix?.value).toBe('https://moodle.example.edu');
    expect(finding?.fix?.field).toBe('Platform ID');
    expect(finding?.faq).toBe('F.1');
  });

  it('allows http for local test platforms only when asked', () => {
    const local = 'http://127.0.0.1:8081';
    expect(ids({ ...GOOD, platformId: local, ...endpointsFor(local) }, { allowInsecure: true })).toEqual([]);
  });
});

describe('parseToolDetailsText', () => {
  const dialog = [
    'Platform ID: https://moodle.example.edu',
    'Client ID: EhdzqulqmXxNDkw',
    'Deployment ID: 3',
    'Public keyset URL: https://moodle.example.edu/mod/lti/certs.php',
    'Access token URL: https://moodle.example.edu/mod/lti/token.php',
    'Authentication request URL: https://moodle.example.edu/mod/lti/auth.php',
  ];

  it('reads the dialog text', () => {
    expect(parseToolDetailsText(dialog.join('\n'), 'stdin')).toEqual(GOOD);
  });

  it('reads any order, blank lines, tabs, CRLF and labels on their own line', () => {
    const text = [
      '',
      'Deployment ID\t3',
      '',
      'client id:\tEhdzqulqmXxNDkw',
      'Platform ID',
      'https://moodle.example.edu',
      ...dialog.slice(3),
    ].join('\r\n');
    expect(parseToolDetailsText(text, 'stdin')).toEqual(GOOD);
  });

  it('reads a URL-encoded mailto body', () => {
    const mailto = 'mailto:?subject=LTI%20tool%20configuration&body=' + encodeURIComponent(dialog.join('\n'));
    expect(parseToolDetailsText(mailto, 'stdin')).toEqual(GOOD);
  });

  it('keeps a trailing slash for the lint to name', () => {
    expect(parseToolDetailsText('Platform ID: https://moodle.example.edu/', 'x').platformId).toBe(
      'https://moodle.example.edu/',
    );
  });

  const values = [
    'https://moodle.example.edu',
    'EhdzqulqmXxNDkw',
    '3',
    'https://moodle.example.edu/mod/lti/certs.php',
    'https://moodle.example.edu/mod/lti/token.php',
    'https://moodle.example.edu/mod/lti/auth.php',
  ];
  const labelsIn: Record<string, string[]> = {
    Norwegian: [
      'Plattform-ID',
      'Klient-ID',
      'Distribusjons-ID',
      'URL for offentlig nøkkelsett',
      'URL for tilgangstoken',
      'URL for autentiseringsforespørsel',
    ],
    German: [
      'Plattform-ID',
      'Client-ID',
      'Deployment-ID',
      'URL des öffentlichen Schlüsselsatzes',
      'Zugriffstoken-URL',
      'URL für Authentifizierungsanfrage',
    ],
    Japanese: [
      'プラットフォームID',
      'クライアントID',
      'デプロイメントID',
      '公開キーセットURL',
      'アクセストークンURL',
      '認証リクエストURL',
    ],
  };

  it.each(Object.entries(labelsIn))("reads the dialog in %s by the values' shape and order", (_language, labels) => {
    const asShown = labels.map((label, i) => `${label}: ${values[i]}`).join('\n');
    expect(readToolDetailsText(asShown, 'stdin').values).toEqual(GOOD);
    const onTheirOwnLine = labels.flatMap((label, i) => [label, values[i]!]).join('\n');
    expect(parseToolDetailsText(onTheirOwnLine, 'stdin')).toEqual(GOOD);
    const tabbed = labels.map((label, i) => `${label}\t${values[i]}`).join('\r\n');
    expect(parseToolDetailsText(tabbed, 'stdin')).toEqual(GOOD);
    const glued = labels.map((label, i) => `${label}:${values[i]}`).join('\n');
    expect(parseToolDetailsText(glued, 'stdin')).toEqual(GOOD);
  });

  it('says how each value was told apart, and ignores the title, buttons and mail headers around them', () => {
    const text = [
      'Subject: LTI tool configuration',
      'Verktøykonfigurasjonsdetaljer',
      ...labelsIn.Norwegian!.map((label, i) => `${label}: ${values[i]}`),
      'E-post',
      'Lukk',
    ].join('\n');
    const read = readToolDetailsText(text, 'stdin');
    expect(read.values).toEqual(GOOD);
    expect(read.sources).toEqual({
      platformId: { line: 3, by: 'shape' },
      clientId: { line: 4, by: 'order' },
      deploymentId: { line: 5, by: 'order' },
      publicKeysetUrl: { line: 6, by: 'shape' },
      accessTokenUrl: { line: 7, by: 'shape' },
      authRequestUrl: { line: 8, by: 'shape' },
    });
    expect(readToolDetailsText(dialog.join('\n'), 'x').sources.clientId).toEqual({ line: 2, by: 'label' });
  });

  it('reads glued English labels and a mailto body in another language', () => {
    expect(parseToolDetailsText('Platform IDhttps://moodle.example.edu', 'x').platformId).toBe(
      'https://moodle.example.edu',
    );
    const body = labelsIn.German!.map((label, i) => `${label}: ${values[i]}`).join('\r\n');
    const mailto = `mailto:?subject=${encodeURIComponent('LTI-Tool-Konfiguration')}&body=${encodeURIComponent(body)}`;
    expect(parseToolDetailsText(mailto, 'stdin')).toEqual(GOOD);
  });

  it('one value alone is placed by its shape: a number is the Deployment ID', () => {
    expect(parseToolDetailsText('Distribusjons-ID: 7', 'x')).toEqual({ deploymentId: '7' });
    expect(parseToolDetailsText('Klient-ID: AbCdEfGhIjKlMnO', 'x')).toEqual({ clientId: 'AbCdEfGhIjKlMnO' });
  });

  it('rejects text with no details, a label without value, and conflicting duplicates', () => {
    expect(() => parseToolDetailsText('hello world', 'stdin')).toThrow(/no Tool configuration details found/);
    expect(() => parseToolDetailsText('Client ID\nDeployment ID: 3', 'stdin')).toThrow(/"Client ID" has no value/);
    expect(() => parseToolDetailsText('Client ID: a\nClient ID: b', 'stdin')).toThrow(/appears twice/);
  });
});

describe('parseMoodleSiteUrl', () => {
  it.each([
    ['https://moodle.example.edu', 'https://moodle.example.edu'],
    ['moodle.example.edu/', 'https://moodle.example.edu'],
    ['https://uni.edu/moodle/', 'https://uni.edu/moodle'],
    ['https://uni.edu/moodle/login/index.php', 'https://uni.edu/moodle'],
    ['https://moodle.example.edu/mod/lti/certs.php', 'https://moodle.example.edu'],
    ['https://moodle.example.edu/course/view.php?id=3', 'https://moodle.example.edu'],
  ])('%s → %s', (input, wwwroot) => {
    expect(parseMoodleSiteUrl(input).wwwroot).toBe(wwwroot);
  });

  it('rejects http and local addresses unless insecure', () => {
    expect(() => parseMoodleSiteUrl('http://moodle.example.edu')).toThrow(/uses http:/);
    expect(() => parseMoodleSiteUrl('https://127.0.0.1')).toThrow(/local address/);
    expect(parseMoodleSiteUrl('http://127.0.0.1:8081', { allowInsecure: true }).wwwroot).toBe('http://127.0.0.1:8081');
  });
});

describe('record refuses what --allow-insecure is for, and flags lookalikes', async () => {
  const { lintToolDetails } = await import('../../src/moodle/lint-tool-details.js');
  const { endpointsFor } = await import('../../src/moodle/tool-details.js');
  const details = (platformId: string) => ({
    platformId,
    clientId: 'EhdzqulqmXxNDkw',
    deploymentId: '3',
    ...endpointsFor(platformId),
  });
  it.each(['https://10.0.0.5', 'https://localhost', 'https://127.0.0.1'])(
    '%s is a local address without --allow-insecure',
    (platformId) => {
      const findings = lintToolDetails(details(platformId), {});
      expect(findings.find((f) => f.id === 'platform.platformId.local')?.status).toBe('fail');
      expect(
        lintToolDetails(details(platformId), { allowInsecure: true }).find((f) => f.id === 'platform.platformId.local'),
      ).toBeUndefined();
    },
  );
  it(
    'a Moodle host with a Cyrillic letter among Latin ones is an ' + 'error, shown in both forms, even with allowIdn',
    () => {
      for (const allowIdn of [false, true]) {
        const finding = lintToolDetails(details('https://moodlе.example.edu'), { allowIdn }).find(
          (f) => f.id === 'platform.platformId.lookalike',
        );
        expect(finding?.status).toBe('fail');
        expect(finding?.finding).toMatch(
          pattern(
            /mixes Latin letters with Cyrillic or Greek ones in "moodlе": "е" \(U\+0435, Cyrillic, /,
            /looks like "e"\) — it is xn--[\w-]+\.example\.edu on the wire/,
          ),
        );
      }
    },
  );

  it('a genuine internationalised Moodle host passes with allowIdn only', () => {
    const lookalike = (allowIdn: boolean) =>
      lintToolDetails(details('https://bücher.example.edu'), { allowIdn }).find(
        (f) => f.id === 'platform.platformId.lookalike',
      );
    expect(lookalike(false)?.status).toBe('fail');
    expect(lookalike(true)).toBeUndefined();
  });
});
