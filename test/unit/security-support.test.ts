import { describe, expect, it } from 'vitest';
import { moodleRelease, securitySupport } from '../../src/moodle/versions.js';

/** Moodle's support windows as data (issue 32, point 5): a note, dated, never a failure. */
describe('securitySupport', () => {
  const on = new Date('2026-12-07T12:00:00Z');
  it('a branch past its date gets no security fixes, said with the date', () => {
    expect(securitySupport(moodleRelease('4.4.10'), on)).toBe(
      'Moodle 4.4 gets no security fixes since 08 Dec 2025: an update is due (a note, not a cause of failure)',
    );
    expect(securitySupport(moodleRelease('5.0.8'), on)).toMatch(
      /^Moodle 5\.0 gets no security fixes since 05 Oct 2026/,
    );
    expect(securitySupport(moodleRelease('4.2.1'), on)).toBe('Moodle 4.2 gets no security fixes any more');
  });

  it('a supported branch says until when', () => {
    expect(securitySupport(moodleRelease('4.5.6'), on)).toBe('Moodle 4.5 gets security fixes until 04 Oct 2027');
    expect(securitySupport(moodleRelease('5.2.1'), on)).toBe('Moodle 5.2 gets security fixes until 04 Oct 2027');
  });
});
