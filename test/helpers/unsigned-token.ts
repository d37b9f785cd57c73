/** A token made here: a real header and payload, any signature bytes (for what doctor checks without a key). */
export function unsignedToken(
  payload: Record<string, unknown>,
  signature = Buffer.alloc(256, 7).toString('base64url'),
): string {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${b64({ alg: 'RS256', kid: 'k1', typ: 'JWT' })}.${b64(payload)}.${signature}`;
}

/** The claims of a well-formed learner's id_token from https://moodle.example.edu, issued now. */
export function goodClaims(): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: 'https://moodle.example.edu',
    aud: 'EhdzqulqmXxNDkw',
    sub: '2',
    nonce: 'n-1',
    iat: now,
    exp: now + 60,
    'https://purl.imsglobal.org/spec/lti/claim/deployment_id': '3',
    'https://purl.imsglobal.org/spec/lti/claim/version': '1.3.0',
    'https://purl.imsglobal.org/spec/lti/claim/message_type': 'LtiResourceLinkRequest',
    'https://purl.imsglobal.org/spec/lti/claim/roles': ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'],
    'https://purl.imsglobal.org/spec/lti/claim/resource_link': { id: '1' },
    'https://purl.imsglobal.org/spec/lti/claim/target_link_uri': 'https://university.inspera.com/ltiprovider/launch',
  };
}
