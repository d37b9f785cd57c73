import { describe, expect, it } from 'vitest';
import {
  fillsMissingKeyAlg,
  moodleRelease,
  offersLocalNetworkSetting,
  releaseFromVersionNumber,
} from '../../src/moodle/versions.js';

/** Moodle at point-release grain (issue 32, point 5): each fix on the right side of its first release. */
describe('point releases', () => {
  it.each([
    ['4.4.10', false],
    ['4.5.6', false],
    ['4.5.8', false],
    ['4.5.9', true],
    ['5.0.4', false],
    ['5.0.5', true],
    ['5.1.1', false],
    ['5.1.2', true],
    ['5.2.0', true],
    ['5.3.0', true],
  ])('$CFG->ltiallowlocalnetwork on %s: %s (MDL-87258)', (release, offered) => {
    expect(offersLocalNetworkSetting(moodleRelease(release))).toBe(offered);
  });

  it.each([
    ['4.4.4', false],
    ['4.4.5', true],
    ['4.5.0', false],
    ['4.5.1', true],
    ['5.0.0', true],
  ])('a missing alg filled in on %s: %s (MDL-83423)', (release, fills) => {
    expect(fillsMissingKeyAlg(moodleRelease(release))).toBe(fills);
  });

  it('5.3 is a line of its own, past MDL-83526, read from its version number too', () => {
    const release = moodleRelease('5.3');
    expect(release.line.wire.sessionSameSite).toBe('lax');
    expect(releaseFromVersionNumber('2026100501')?.number).toBe('5.3.1');
    expect(release.line.sources.sessionSameSite.how).toBe('source');
    expect(release.line.sources.scoreTime.how).toBe('assumed');
  });
});
