import { describe, expect, it } from 'vitest';
import { siteOf } from '../../src/sim/browser.js';

const site = (url: string) => siteOf(new URL(url));

describe("the browser's idea of a site (SameSite), by the public suffix list", () => {
  it("two universities under ac.uk are two sites; one university's hosts are one", () => {
    expect(site('https://moodle.uni1.ac.uk/')).not.toBe(site('https://exams.uni2.ac.uk/'));
    expect(site('https://moodle.uni1.ac.uk/')).toBe(site('https://exams.uni1.ac.uk/'));
    expect(site('https://moodle.example.edu/')).toBe('https://example.edu');
  });

  it('private suffixes, IP addresses and single labels stand alone', () => {
    expect(site('https://a.github.io/')).not.toBe(site('https://b.github.io/'));
    expect(site('http://127.0.0.1:8080/')).toBe('http://127.0.0.1');
    expect(site('http://localhost:9000/')).toBe('http://localhost');
    expect(site('https://university.inspera.com/')).not.toBe(site('https://moodle.example.edu/'));
  });
});

describe('the lost-cookie failure across two universities under one public suffix', () => {
  it(
    'Moodle on moodle.uni1.ac.uk embedding a tool on exams.uni2.ac.uk ' +
      "loses the tool's cookie when third-party cookies are blocked",
    async () => {
      const { simulate } = await import('../../src/sim/simulate.js');
      const { parseConfig } = await import('../../src/config/parse.js');
      const { FIXTURE_KEYS } = await import('../helpers/sim.js');
      const config = parseConfig(
        {
          tool: { domain: 'exams.uni2.ac.uk' },
          platform: { platformId: 'https://moodle.uni1.ac.uk', clientId: 'EhdzqulqmXxNDkw', deploymentId: '3' },
        },
        'test',
      ).config;
      const result = await simulate({
        config,
        keys: FIXTURE_KEYS,
        overrides: { launchContainer: 'embed' },
        blockThirdPartyCookies: true,
      });
      expect(result.launch.tool?.results.find((r) => r.id === 'state.cookie')?.status).toBe('fail');
    },
  );
});
