import { describe, expect, it } from 'vitest';
import { insperaExpectations } from '../../src/inspera/launch-expectations.js';
import { CLAIM } from '../../src/lti/claims.js';
import { adviseOnSettings } from '../../src/moodle/settings-advice.js';
import { insperaRecommendedSettings } from '../../src/moodle/settings.js';

/**
 * NRPS off while enroll_candidates=true asks for it: the same severity whether it is read from the stored tool
 * (doctor --moodle as an administrator) or from the launch Moodle signs (--moodle-user, the mobile route) — issue 29.
 */
describe('NRPS off, by both routes', () => {
  const settings = {
    ...insperaRecommendedSettings(),
    services: { ...insperaRecommendedSettings().services, nrps: false },
  };
  const stored = (enroll: boolean) =>
    adviseOnSettings({
      moodle: settings,
      tool: { customParameters: enroll ? { enroll_candidates: 'true' } : {} },
    }).find((r) => r.id === 'moodle.nrps-off')!.status;
  const launched = (enroll: boolean) =>
    insperaExpectations({ [CLAIM.custom]: enroll ? { enroll_candidates: 'true' } : {} }).find(
      (r) => r.id === 'inspera.nrps',
    )!.status;

  it('asked for (enroll_candidates=true) and off: a warning by both — launches work, enrolment does not', () => {
    expect(stored(true)).toBe('warn');
    expect(launched(true)).toBe('warn');
  });

  it('not asked for: a warning by both', () => {
    expect(stored(false)).toBe('warn');
    expect(launched(false)).toBe('warn');
  });
});
