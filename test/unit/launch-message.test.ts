import { describe, expect, it } from 'vitest';
import { CLAIM, ROLE, SCOPE } from '../../src/lti/claims.js';
import { signJwt } from '../../src/lti/sign.js';
import { verifyLaunchToken } from '../../src/lti/verify-launch.js';
import { buildCustomClaim, normaliseKey } from '../../src/moodle/custom-parameters.js';
import { grantScopes, permittedScopes } from '../../src/moodle/scopes.js';
import { insperaRecommendedSettings, type MoodleSettings } from '../../src/moodle/settings.js';
import { buildLaunchPayload } from '../../src/sim/platform/launch-message.js';
import type { PlatformSetup } from '../../src/sim/platform/types.js';
import { defaultWorld } from '../../src/sim/world.js';
import { fixtureKey } from '../helpers/sim.js';

const key = fixtureKey('platform');

function setup(change: (s: MoodleSettings) => void = () => {}): PlatformSetup {
  const settings = insperaRecommendedSettings();
  change(settings);
  return {
    wwwroot: 'https://moodle.example.edu',
    clientId: 'EhdzqulqmXxNDkw',
    typeId: '3',
    tool: {
      toolUrl: 'https://u.inspera.com/ltiprovider/launch',
      loginInitUrl: 'https://u.inspera.com/ltiprovider/init',
      redirectUrls: [],
      customParameters: 'enroll_candidates=true\nMy-Param=$User.username',
    },
    settings,
    key,
    world: defaultWorld(),
    fetchKeyset: async () => ({ status: 404, body: '' }),
  };
}
const user = (id: number) => defaultWorld().users.find((u) => u.id === id)!;

describe('the id_token Moodle builds', () => {
  it(
    'follows the privacy settings: no name or email when Never; ' +
      '$User.username is not gated, unshared variables are null',
    () => {
      const payload = buildLaunchPayload(
        setup((s) => Object.assign(s.privacy, { shareName: 'never', shareEmail: 'never' })),
        user(42),
        'n',
        1000,
        'k',
      );
      expect(payload.name).toBeUndefined();
      expect(payload.email).toBeUndefined();
      expect(payload[CLAIM.ext]).toEqual({ lms: 'moodle-2' });
      // Observed on Moodle 4.5.6: the name privacy setting does not gate $User.username.
      expect((payload[CLAIM.custom] as Record<string, string>).my_param).toBe('ada');
      expect(buildCustomClaim('full=$Person.name.full', '', { '$Person.name.full': null })).toEqual({ full: null });
    },
  );

  it('normalises custom parameter names and keeps the original, substituting variables', () => {
    const custom = buildLaunchPayload(setup(), user(42), 'n', 1000, 'k')[CLAIM.custom] as Record<string, string>;
    expect(custom).toMatchObject({ enroll_candidates: 'true', my_param: 'ada', 'My-Param': 'ada' });
    expect(normaliseKey('Ünï')).toBe('__n__'); // each byte of a multibyte character becomes "_"
    expect(buildCustomClaim('a=tool', 'a=activity\nb=\\$User.id', { '$User.id': '42' })).toEqual({
      a: 'tool',
      b: '$User.id',
    });
  });

  it('gives admins the sorted Administrator and Instructor roles', () => {
    expect(buildLaunchPayload(setup(), user(2), 'n', 1000, 'k')[CLAIM.roles]).toEqual([
      ROLE.institutionAdmin,
      ROLE.instructor,
      ROLE.systemAdmin,
    ]);
  });

  it('has no AGS claim with AGS off and no lineitem without accept grades', () => {
    expect(
      buildLaunchPayload(
        setup((s) => (s.services.ags = 'off')),
        user(42),
        'n',
        1000,
        'k',
      )[CLAIM.ags],
    ).toBeUndefined();
    const ags = buildLaunchPayload(
      setup((s) => (s.privacy.acceptGrades = 'never')),
      user(42),
      'n',
      1000,
      'k',
    )[CLAIM.ags] as Record<string, unknown>;
    expect(ags.lineitems).toBe('https://moodle.example.edu/mod/lti/services.php/7/lineitems?type_id=3');
    expect(ags.lineitem).toBeUndefined();
  });

  it('maps the launch container to document_target and lives 60 s', () => {
    const payload = buildLaunchPayload(
      setup((s) => (s.launchContainer = 'embed-no-blocks')),
      user(42),
      'n',
      1000,
      'k',
    );
    expect(payload[CLAIM.launchPresentation]).toMatchObject({ document_target: 'iframe' });
    expect(payload.exp).toBe(1060);
  });
});

describe('scopes', () => {
  it('grants the intersection in the requested order and drops the rest silently', () => {
    const gradeOnly = setup((s) => (s.services.ags = 'grade-sync')).settings;
    expect(permittedScopes(gradeOnly)).not.toContain(SCOPE.lineItem);
    expect(grantScopes(`${SCOPE.lineItem} ${SCOPE.score}`, gradeOnly)).toEqual([SCOPE.score]);
    expect(grantScopes(SCOPE.lineItem, gradeOnly)).toEqual([]);
  });
});

describe('verifyLaunchToken', () => {
  const registration = {
    issuer: 'https://moodle.example.edu',
    clientId: 'EhdzqulqmXxNDkw',
    deploymentIds: ['3'],
    authUrl: '',
    tokenUrl: '',
    keysetUrl: 'https://moodle.example.edu/mod/lti/certs.php',
  };

  it('reports every failure at once, not only the first', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await signJwt(
      {
        iss: 'https://moodle.example.edu',
        aud: 'wrong',
        iat: now - 300,
        exp: now - 240,
        nonce: 'x',
        sub: '42',
        [CLAIM.deploymentId]: '9',
        [CLAIM.version]: '1.1',
        [CLAIM.messageType]: 'LtiResourceLinkRequest',
      },
      key,
    );
    const report = await verifyLaunchToken(token, {
      registrations: [registration],
      fetchKeyset: async () => ({ keys: [key.jwk] }),
      expectedNonce: 'y',
      now,
      leewaySeconds: 5,
    });
    const failed = report.results.filter((r) => r.status === 'fail').map((r) => r.id);
    expect(failed).toEqual(
      expect.arrayContaining([
        'claim.aud',
        'claim.exp',
        'claim.nonce',
        'claim.deployment_id',
        'claim.version',
        'claim.roles',
        'claim.resource_link',
        'claim.target_link_uri',
      ]),
    );
    expect(report.results.find((r) => r.id === 'jwt.signature')?.status).toBe('pass');
  });

  it('names a trailing-slash issuer mismatch and a tampered signature', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await signJwt(
      { iss: 'https://moodle.example.edu', aud: 'EhdzqulqmXxNDkw', iat: now, exp: now + 60 },
      key,
    );
    const slash = await verifyLaunchToken(token, {
      registrations: [{ ...registration, issuer: 'https://moodle.example.edu/' }],
      fetchKeyset: async () => ({ keys: [key.jwk] }),
      now,
      leewaySeconds: 5,
    });
    expect(slash.results.find((r) => r.id === 'claim.iss')?.finding).toContain('ends with "/"');
    const [h] = token.split('.');
    const claims = { iss: 'https://moodle.example.edu', aud: 'EhdzqulqmXxNDkw', iat: now, exp: now + 9999 };
    const tampered = `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${token.split('.')[2]}`;
    const bad = await verifyLaunchToken(tampered, {
      registrations: [registration],
      fetchKeyset: async () => ({ keys: [key.jwk] }),
      now,
      leewaySeconds: 5,
    });
    expect(bad.results.find((r) => r.id === 'jwt.signature')?.status).toBe('fail');
  });

  it('says what is wrong with a token that is not a JWT', async () => {
    const report = await verifyLaunchToken('eyJhbGciOi', {
      registrations: [registration],
      fetchKeyset: async () => ({ keys: [] }),
      now: 0,
      leewaySeconds: 5,
    });
    expect(report.results[0]).toMatchObject({ id: 'jwt.format', status: 'fail' });
    expect(report.results[0]!.finding).toContain('has 1 part');
  });
});
