#!/usr/bin/env node
// A minimal hand-written LTI launch driver, what a person would write with fetch and jose: it plays the platform's
// keyset and, per launch, sends the login initiation and posts a signed id_token. `npm run bench external` runs it in
// a fresh process each round, as it runs the CLI, so both start cold. Prints {perSecond, cpuMsPerLaunch, failed}.
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { SignJWT } from 'jose';

const [keysDir, issuer, loginInitUrl, launchUrl, templateFile, countArg, concurrencyArg] = process.argv.slice(2);
const count = Number(countArg);
const template = JSON.parse(readFileSync(templateFile, 'utf8'));
const privateKey = createPrivateKey(readFileSync(join(keysDir, 'platform.pem'), 'utf8'));
const kid = readFileSync(join(keysDir, 'platform.pem.kid'), 'utf8').trim();
const jwk = { ...createPublicKey(privateKey).export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };

const keyset = createServer((_req, res) =>
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })),
);
await new Promise((resolve) => keyset.listen(Number(new URL(issuer).port), '127.0.0.1', resolve));

const form = { 'content-type': 'application/x-www-form-urlencoded' };
async function launch() {
  const login = await fetch(loginInitUrl, {
    method: 'POST',
    redirect: 'manual',
    signal: AbortSignal.timeout(10_000),
    headers: form,
    body: new URLSearchParams({
      iss: issuer,
      target_link_uri: launchUrl,
      login_hint: '42',
      lti_message_hint: '{"cmid":12}',
      client_id: template.aud,
      lti_deployment_id: '3',
    }),
  });
  const auth = new URL(login.headers.get('location'));
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  await login.arrayBuffer();
  const now = Math.floor(Date.now() / 1000);
  const idToken = await new SignJWT({ ...template, nonce: auth.searchParams.get('nonce'), iat: now, exp: now + 60 })
    .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
    .sign(privateKey);
  const posted = await fetch(auth.searchParams.get('redirect_uri'), {
    method: 'POST',
    redirect: 'manual',
    signal: AbortSignal.timeout(10_000),
    headers: { ...form, ...(cookie ? { cookie } : {}) },
    body: new URLSearchParams({ id_token: idToken, state: auth.searchParams.get('state') }),
  });
  await posted.arrayBuffer();
  return posted.status === 200;
}

let next = 0;
let failed = 0;
const cpu = process.cpuUsage();
const started = performance.now();
await Promise.all(
  Array.from({ length: Number(concurrencyArg) }, async () => {
    while (next++ < count) if (!(await launch().catch(() => false))) failed++;
  }),
);
const seconds = (performance.now() - started) / 1000;
const used = process.cpuUsage(cpu);
console.log(
  JSON.stringify({
    perSecond: Math.round((count / seconds) * 10) / 10,
    cpuMsPerLaunch: Math.round(((used.user + used.system) / 1000 / count) * 100) / 100,
    failed,
  }),
);
process.exit(0);
