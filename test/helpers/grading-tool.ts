import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, jwtVerify, SignJWT } from 'jose';
import type { SigningKey } from '../../src/lti/keys.js';

/**
 * A small LTI tool written for the tests, independent of the CLI's own tool: it answers the login initiation,
 * verifies the id_token against the platform's keyset (jose), and then — on its own, as a real tool does — asks
 * token.php for a token and posts a score of 8/10 for the launching user. Like ltijs and pylti1.3 it keeps the access
 * token until it expires (`tokenRequests` counts the asking), and refuses a nonce it has seen. Mistakes to order:
 * `bearer` replaces the token it sends, `assertionKey` signs its token request with a key it does not publish,
 * `acceptsReplays` forgets nonces; `loginRedirect` sends the browser on to auth.php by a page (script, meta refresh);
 * `expectIssuer` makes it reject every id_token (another issuer registered).
 */
export async function startGradingTool(options: {
  platform: string;
  clientId: string;
  key: SigningKey;
  delayMs?: number;
  bearer?: string;
  assertionKey?: SigningKey;
  acceptsReplays?: boolean;
  loginRedirect?: 'script' | 'meta';
  expectIssuer?: string;
}): Promise<{ origin: string; close(): Promise<void>; errors: string[]; tokenRequests: () => number }> {
  const errors: string[] = [];
  const usedNonces = new Set<unknown>();
  let cached: { token: string; until: number } | undefined;
  let tokenRequests = 0;
  const jwks = createRemoteJWKSet(new URL(`${options.platform}/mod/lti/certs.php`));
  const form = async (req: import('node:http').IncomingMessage) =>
    new URLSearchParams(
      await new Promise<string>((r) => {
        let b = '';
        req.on('data', (d) => (b += d));
        req.on('end', () => r(b));
      }),
    );
  let origin = '';
  const server: Server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', origin);
      if (url.pathname === '/jwks')
        return void res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ keys: [options.key.jwk] }));
      if (url.pathname === '/login') {
        const p = req.method === 'POST' ? await form(req) : url.searchParams;
        const auth = new URL(`${options.platform}/mod/lti/auth.php`);
        for (const [k, v] of Object.entries({
          scope: 'openid',
          response_type: 'id_token',
          response_mode: 'form_post',
          prompt: 'none',
          client_id: options.clientId,
          redirect_uri: `${origin}/launch`,
          login_hint: p.get('login_hint') ?? '',
          lti_message_hint: p.get('lti_message_hint') ?? '',
          state: 's',
          nonce: String(Math.random()),
        }))
          auth.searchParams.set(k, v);
        if (options.loginRedirect === 'script') {
          return void res
            .writeHead(200, { 'content-type': 'text/html' })
            .end(
              `<html><body><script type="text/javascript">window.location ` +
                `= ${JSON.stringify(auth.toString()).replace(/\//g, '\\/')};</script></body></html>`,
            );
        }
        if (options.loginRedirect === 'meta') {
          return void res
            .writeHead(200, { 'content-type': 'text/html' })
            .end(
              `<html><head><meta http-equiv="refresh" content="0; ` +
                `url=${auth.toString().replace(/&/g, '&amp;')}"></head><body>Redirecting…</body></html>`,
            );
        }
        return void res.writeHead(302, { location: auth.toString() }).end();
      }
      if (url.pathname === '/launch') {
        const { payload } = await jwtVerify((await form(req)).get('id_token') ?? '', jwks, {
          issuer: options.expectIssuer ?? options.platform,
          audience: options.clientId,
        });
        if (usedNonces.has(payload.nonce) && !options.acceptsReplays) throw new Error('this nonce was used before');
        usedNonces.add(payload.nonce);
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Welcome</body></html>');
        const lineitem = (payload['https://purl.imsglobal.org/spec/lti-ags/claim/endpoint'] as { lineitem: string })
          .lineitem;
        setTimeout(
          () => void grade(String(payload.sub), lineitem).catch((e: Error) => errors.push(e.message)),
          options.delayMs ?? 300,
        );
        return;
      }
      res.writeHead(404).end();
    } catch (error) {
      errors.push((error as Error).message);
      if (!res.headersSent)
        res.writeHead(400, { 'content-type': 'text/plain' }).end(`rejected: ${(error as Error).message}`);
    }
  });
  const accessToken = async () => {
    if (cached && cached.until > Date.now()) return cached.token;
    tokenRequests++;
    const tokenUrl = `${options.platform}/mod/lti/token.php`;
    const now = Math.floor(Date.now() / 1000);
    const signer = options.assertionKey ?? options.key;
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid: signer.kid })
      .setIssuer(options.clientId)
      .setSubject(options.clientId)
      .setAudience(tokenUrl)
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .setJti(String(Math.random()))
      .sign(signer.privateKey);
    const token = await fetch(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
        scope: 'https://purl.imsglobal.org/spec/lti-ags/scope/score',
      }),
    });
    const answer = (await token.json()) as { access_token: string; expires_in: number };
    cached = { token: answer.access_token, until: Date.now() + answer.expires_in * 1000 };
    return answer.access_token;
  };
  const grade = async (sub: string, lineitem: string) => {
    const bearer = options.bearer ?? (await accessToken());
    const scores = new URL(lineitem);
    scores.pathname += '/scores';
    await fetch(scores, {
      method: 'POST',
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/vnd.ims.lis.v1.score+json' },
      body: JSON.stringify({
        userId: sub,
        scoreGiven: 8,
        scoreMaximum: 10,
        timestamp: new Date().toISOString(),
        activityProgress: 'Completed',
        gradingProgress: 'FullyGraded',
      }),
    });
  };
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    errors,
    tokenRequests: () => tokenRequests,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
