import { describe, expect, it } from 'vitest';
import { planCandidates, roleName } from '../../src/inspera/candidates.js';
import { nextLink } from '../../src/lti/memberships.js';

describe('candidate auto-provisioning', () => {
  it('reads roles as NRPS (short names) and the id_token (URIs) give them', () => {
    expect(roleName('Learner')).toBe('Learner');
    expect(roleName('http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor')).toBe('Instructor');
    expect(roleName('http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant')).toBe(
      'TeachingAssistant',
    );
  });

  it('learners become candidates; others are skipped with the reason; incomplete members skip or stop', () => {
    const members = [
      { status: 'Active', roles: ['Learner'], user_id: '42', name: 'Ada Lovelace', email: 'ada@example.edu' },
      {
        status: 'Active',
        roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'],
        user_id: '43',
        given_name: 'Alan',
        family_name: 'Turing',
        email: 'alan@example.edu',
      },
      { status: 'Active', roles: ['Instructor'], user_id: '3', name: 'Grace Hopper', email: 'grace@example.edu' },
      { status: 'Active', roles: ['Learner'], user_id: '44' },
      { status: 'Inactive', roles: ['Learner'], user_id: '45', name: 'Old', email: 'old@example.edu' },
    ];
    const skipping = planCandidates(members, { skipIncomplete: true });
    expect(skipping.candidates).toEqual([
      { userId: '42', name: 'Ada Lovelace', email: 'ada@example.edu' },
      { userId: '43', name: 'Alan Turing', email: 'alan@example.edu' },
    ]);
    expect(skipping.skipped.map((s) => `${s.userId}: ${s.reason}`)).toEqual([
      '3: not a learner (Instructor)',
      "44: no name and no e-mail in the membership (Moodle's privacy " +
        'settings "Share launcher\'s name/email with tool")',
      '45: membership status Inactive',
    ]);
    expect(skipping.blocking).toEqual([]);
    const strict = planCandidates(members, { skipIncomplete: false });
    expect(strict.blocking.map((b) => b.userId)).toEqual(['44']);
  });

  it('follows Link rel="next" and nothing else', () => {
    expect(nextLink('<https://m.example/x?limit=1&from=1>; rel="next"')).toBe('https://m.example/x?limit=1&from=1');
    expect(nextLink('<https://m.example/a>; rel="prev", <https://m.example/b>; rel="next"')).toBe(
      'https://m.example/b',
    );
    expect(nextLink('<https://m.example/a>; rel="prev"')).toBeUndefined();
    expect(nextLink(undefined)).toBeUndefined();
    // Moodle's line item container: typographic quotes (as an HTTP client decodes their UTF-8 bytes) and &amp;.
    const moodle = Buffer.from(
      '<https://m.example/l?type_id=1&amp;limit=1&amp;from=0>; ' +
        'rel=“first”, <https://m.example/l?type_id=1&amp;limit=1&amp;from=1>; ' +
        'rel=“next”',
      'utf8',
    ).toString('latin1');
    expect(nextLink(moodle)).toBe('https://m.example/l?type_id=1&limit=1&from=1');
    expect(nextLink('<https://m.example/a>; rel="nextpage"')).toBeUndefined();
  });
});
