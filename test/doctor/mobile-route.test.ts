import { describe, expect, it } from 'vitest';
import { runDoctor } from '../../src/doctor/doctor.js';
import { demoConfig } from '../helpers/sim.js';

const CLAIM = 'https://purl.imsglobal.org/spec/lti/claim/';
const AGS = 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint';

/** An id_token as Moodle's mobile launch signs it: an AGS claim with its line items URL, and "lineitem": "". */
function mobileLaunchToken(): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return [
    part({ alg: 'RS256', kid: 'k', typ: 'JWT' }),
    part({
      iss: 'https://moodle.example.edu',
      aud: 'EhdzqulqmXxNDkw',
      sub: '42',
      iat: now,
      exp: now + 60,
      nonce: 'n',
      [`${CLAIM}deployment_id`]: '3',
      [`${CLAIM}message_type`]: 'LtiResourceLinkRequest',
      [`${CLAIM}version`]: '1.3.0',
      [`${CLAIM}roles`]: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'],
      [`${CLAIM}target_link_uri`]: 'https://university.inspera.com/ltiprovider/launch',
      [`${CLAIM}resource_link`]: { id: '1' },
      [AGS]: {
        scope: ['https://purl.imsglobal.org/spec/lti-ags/scope/score'],
        lineitems: 'https://moodle.example.edu/mod/lti/services.php/2/lineitems?type_id=3',
        lineitem: '',
      },
    }),
    'c2ln',
  ].join('.');
}

describe("the launch read through Moodle's mobile web service", () => {
  it('an empty lineitem is not checkable by that route, never "Accept grades not in force"', async () => {
    const text = mobileLaunchToken();
    const mobile = await runDoctor({
      config: demoConfig(),
      token: { text, source: 'from Moodle (activity 2, mobile web service)', route: 'mobile' },
    });
    expect(mobile.problems.map((p) => p.cause.id)).not.toContain('accept-grades');
    expect(mobile.unchecked.map((u) => u.what).join(' ')).toMatch(/not checkable by this route/);
    // The same token pasted from a browser's launch: there an empty lineitem is the finding it is.
    const pasted = await runDoctor({ config: demoConfig(), token: { text, source: 'pasted' } });
    expect(pasted.problems.map((p) => p.cause.id)).toContain('accept-grades');
  });
});
