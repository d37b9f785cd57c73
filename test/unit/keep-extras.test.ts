import { describe, expect, it } from 'vitest';
import { mergedCustomParameters, mergedRedirectUris } from '../../src/moodle/admin/keep-extras.js';

const LAUNCH = 'https://university.inspera.com/ltiprovider/launch';

describe("what an administrator added beside init's values", () => {
  it('a second Redirection URI is kept; a mistyped copy of the prescribed one is replaced where it stands', () => {
    expect(mergedRedirectUris(`https://other.example/launch\n${LAUNCH}/`, LAUNCH)).toEqual({
      text: `https://other.example/launch\n${LAUNCH}`,
      kept: ['https://other.example/launch'],
    });
    expect(mergedRedirectUris('', LAUNCH)).toEqual({ text: LAUNCH, kept: [] });
    expect(mergedRedirectUris(`${LAUNCH}\r\n${LAUNCH.toUpperCase()}`, LAUNCH)).toEqual({ text: LAUNCH, kept: [] });
  });

  it("an extra custom parameter is kept after init's; a prescribed one is set, however its name is written", () => {
    expect(
      mergedCustomParameters(
        'Enroll_Candidates=false\nexam_code=ABC\n',
        'enroll_candidates=true\nskip_incomplete_members=true',
      ),
    ).toEqual({ text: 'enroll_candidates=true\nskip_incomplete_members=true\nexam_code=ABC', kept: ['exam_code=ABC'] });
  });
});
