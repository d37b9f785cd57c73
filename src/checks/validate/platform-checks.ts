import { visibleText } from '../../util/html.js';
import { checkJwks } from '../../lti/jwks-check.js';
import { CLIENT_ASSERTION_TYPE } from '../../lti/claims.js';
import { parseTokenBody } from '../../lti/service-client.js';
import { blockedByDefault, HTTP_SECURITY_PAGE } from '../../moodle/curl-security.js';
import { MOODLE_DISCOVERY_PATH, discoveredVersion, endpointsFor, type ToolDetails } from '../../moodle/tool-details.js';
import type { Check, CheckResult, Fix } from '../../core/result.js';
import {
  INSPERA_REG,
  MOODLE_DETAILS,
  MOODLE_TOOL,
  describeAnswer,
  looksLikeHtml,
  parseJson,
  redirectProblem,
  troubleOf,
  result,
  type ValidateContext,
} from './context.js';

type Platform = Partial<ToolDetails>;
const root = (p: Platform) => (p.platformId ?? '').trim().replace(/\/+$/, '');
const needs = (id: string, title: string, what: string): CheckResult =>
  result(id, title, 'skip', `not checked: no ${what} recorded (run inspera-lti record)`);

/** A Moodle endpoint that redirected: to itself (the site misbehaves), or elsewhere (what that says of the address). */
function redirected(
  check: { id: string; title: string },
  url: string,
  location: string | undefined,
  meaning: string,
  where: string,
): CheckResult {
  const redirect = redirectProblem(url, location);
  const seen = redirect.loop
    ? `${url} redirects to itself (a redirect loop): the site misbehaves`
    : `${url} redirected to ${location ?? '(no location)'}: ${meaning}`;
  return result(check.id, check.title, 'fail', seen, {
    problem: redirect.problem,
    cause: redirect.cause,
    faq: 'F.20',
    fix: {
      system: 'Moodle',
      action: `use the exact wwwroot ${where}; the Moodle admin checks $CFG->wwwroot, sslproxy and reverseproxy`,
    },
  });
}

export const discoveryCheck: Check<ValidateContext> = {
  id: 'platform.discovery',
  title: 'Moodle discovery (openid-configuration.php)',
  faq: 'F.1',
  async run(ctx) {
    const { platform } = ctx.config;
    if (!platform.platformId) return needs(this.id, this.title, 'Platform ID');
    const url = root(platform) + MOODLE_DISCOVERY_PATH;
    const answer = await ctx.get(url, { followRedirects: false });
    if (!answer.ok)
      return result(this.id, this.title, 'fail', `${url}: ${answer.failure.message}`, {
        ...troubleOf(answer),
        fix: { system: 'network', action: 'check the Platform ID is the Moodle site address and reachable from here' },
      });
    if (answer.status >= 300 && answer.status < 400)
      return redirected(
        this,
        url,
        answer.headers.location,
        "the Platform ID is not Moodle's wwwroot",
        'as Platform ID',
      );
    if (answer.status !== 200) {
      return result(this.id, this.title, 'fail', `${url} answered ${describeAnswer(answer)}`, {
        ...troubleOf(answer),
        evidence: answer.body.slice(0, 300),
        fix: {
          system: 'Moodle',
          action:
            answer.status === 404
              ? "the Platform ID is not this Moodle's wwwroot (missing sub-path " +
                'such as /moodle?), or Moodle is older than 4.1'
              : 'check the Moodle site',
        },
      });
    }
    const json = parseJson(answer);
    if (!json.ok)
      return result(this.id, this.title, 'fail', `${url}: ${json.why}`, {
        problem: 'not-moodle',
        cause: { id: 'wwwroot' },
        faq: 'F.20',
        fix: {
          system: 'Moodle',
          action: "call the exact wwwroot; a redirect or HTML means the address differs from Moodle's $CFG->wwwroot",
        },
      });
    const doc = json.value as Record<string, unknown>;
    const problems: string[] = [];
    const recorded = platform.platformId;
    if (doc.issuer !== recorded) {
      const issuer = String(doc.issuer);
      const why =
        recorded.endsWith('/') && issuer === recorded.replace(/\/+$/, '')
          ? ' — the recorded value has a trailing slash'
          : issuer.replace(/^https?/, '') === recorded.replace(/^https?/, '')
            ? ' — http and https differ'
            : recorded.startsWith(issuer) || issuer.startsWith(recorded)
              ? ' — the sub-path differs'
              : '';
      problems.push(
        `issuer is ${JSON.stringify(issuer)} but the recorded Platform ID is ${JSON.stringify(recorded)}${why}`,
      );
    }
    const expected: Array<[string, string | undefined, string]> = [
      ['jwks_uri', platform.publicKeysetUrl, 'Public keyset URL'],
      ['token_endpoint', platform.accessTokenUrl, 'Access token URL'],
      ['authorization_endpoint', platform.authRequestUrl, 'Authentication request URL'],
    ];
    for (const [field, value, label] of expected) {
      if (value !== undefined && doc[field] !== value)
        problems.push(
          `${field} is ${JSON.stringify(doc[field])} but the recorded ${label} is ${JSON.stringify(value)}`,
        );
    }
    if (problems.length) {
      return result(this.id, this.title, 'fail', problems.join('; '), {
        problem: 'mismatch',
        cause: { id: 'issuer-mismatch' },
        faq: 'F.1',
        evidence: JSON.stringify({
          issuer: doc.issuer,
          jwks_uri: doc.jwks_uri,
          token_endpoint: doc.token_endpoint,
          authorization_endpoint: doc.authorization_endpoint,
        }),
        fix: {
          system: 'Inspera',
          where: INSPERA_REG,
          field: 'Platform ID',
          value: String(doc.issuer),
          action:
            'register the six values exactly as Moodle publishes them (and record them again with inspera-lti record)',
        },
      });
    }
    const version = discoveredVersion(doc);
    return result(
      this.id,
      this.title,
      'pass',
      `issuer ${JSON.stringify(doc.issuer)} matches byte for byte${version ? `; Moodle ${version}` : ''}`,
      version ? { observed: { moodleVersion: version } } : {},
    );
  },
};

export const platformKeysetCheck: Check<ValidateContext> = {
  id: 'platform.keyset',
  title: 'Moodle keyset (certs.php)',
  faq: 'F.12',
  async run(ctx) {
    const url =
      ctx.config.platform.publicKeysetUrl ??
      (ctx.config.platform.platformId ? endpointsFor(root(ctx.config.platform)).publicKeysetUrl : undefined);
    if (!url) return needs(this.id, this.title, 'Public keyset URL');
    // Moodle's certs.php answers directly; a redirect is never followed (it would lead to a login page elsewhere).
    const answer = await ctx.get(url, { followRedirects: false });
    if (!answer.ok)
      return result(this.id, this.title, 'fail', `${url}: ${answer.failure.message}`, {
        ...troubleOf(answer),
        fix: { system: 'network', action: "make Moodle's certs.php reachable for Inspera (and from here)" },
      });
    if (answer.status >= 300 && answer.status < 400)
      return redirected(
        this,
        url,
        answer.headers.location,
        `the URL is not Moodle's wwwroot (Moodle redirects "Incorrect access detected")`,
        'in every URL',
      );
    if (answer.status !== 200)
      return result(this.id, this.title, 'fail', `${url} answered ${describeAnswer(answer)}`, {
        ...troubleOf(answer),
        fix: {
          system: 'inspera-lti',
          field: 'Public keyset URL',
          value: endpointsFor(root(ctx.config.platform)).publicKeysetUrl,
          action: 'record the Public keyset URL from Tool configuration details',
        },
      });
    const json = parseJson(answer);
    if (!json.ok)
      return result(this.id, this.title, 'fail', `${url}: ${json.why}`, {
        problem: 'not-moodle',
        cause: { id: 'wwwroot' },
        faq: 'F.20',
        fix: {
          system: 'Moodle',
          action: 'certs.php must answer JSON directly; HTML means a login page or another site',
        },
      });
    const verdict = await checkJwks(json.value);
    if (verdict.errors.length)
      return result(this.id, this.title, 'fail', `${url}: ${verdict.errors.join('; ')}`, {
        problem: 'keyset',
        cause: { id: 'platform-keyset' },
        evidence: answer.body.slice(0, 500),
      });
    const note =
      verdict.kids.length === 1
        ? `1 RS256 key, kid ${verdict.kids[0]}`
        : `${verdict.kids.length} keys (Moodle publishes exactly one)`;
    return result(
      this.id,
      this.title,
      verdict.warnings.length || verdict.kids.length !== 1 ? 'warn' : 'pass',
      [note, ...verdict.warnings].join('; '),
      { cause: { id: 'platform-keyset' }, observed: { kids: verdict.kids.join(' ') } },
    );
  },
};

function unsignedAssertion(clientId: string, audience: string): string {
  const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const header = b64({ typ: 'JWT', alg: 'RS256', kid: 'inspera-lti-probe' });
  const claims = b64({ iss: clientId, sub: clientId, aud: audience, iat: now, exp: now + 60 });
  return `${header}.${claims}.${Buffer.from('not-a-signature').toString('base64url')}`;
}

/** token.php's fatal error page: Moodle could not use the tool keyset — why, as far as the answers here show it. */
function toolKeysetFailure(id: string, title: string, finding: string, evidence: string, fix: Fix): CheckResult {
  return result(id, title, 'fail', finding, {
    problem: 'keyset',
    cause: { id: 'tool-keyset' },
    faq: 'F.13',
    evidence,
    fix,
  });
}

export const tokenCheck: Check<ValidateContext> = {
  id: 'platform.token',
  title: 'Moodle token endpoint knows the Client ID',
  faq: 'F.11',
  async run(ctx) {
    const { platform } = ctx.config;
    const url =
      platform.accessTokenUrl ?? (platform.platformId ? endpointsFor(root(platform)).accessTokenUrl : undefined);
    if (!url) return needs(this.id, this.title, 'Access token URL');
    if (!platform.clientId) return needs(this.id, this.title, 'Client ID');
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: CLIENT_ASSERTION_TYPE,
      client_assertion: unsignedAssertion(platform.clientId, url),
      scope: 'https://purl.imsglobal.org/spec/lti-ags/scope/score',
    });
    const answer = await ctx.prober.probe(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
      timeoutMs: ctx.timeoutMs,
      followRedirects: false,
    });
    if (!answer.ok)
      return result(this.id, this.title, 'fail', `${url}: ${answer.failure.message}`, {
        ...troubleOf(answer),
        fix: { system: 'network', action: 'make token.php reachable from Inspera (and from here)' },
      });
    const parsed = parseTokenBody(answer.body);
    const lenient = parsed.lenient
      ? ' (token.php answered invalid JSON — Moodle does not escape quotes in its error text; read leniently)'
      : '';
    if (answer.status === 400 && parsed.error === 'invalid_client') {
      return result(
        this.id,
        this.title,
        'fail',
        `token.php answered invalid_client: no tool with ` +
          `Client ID ${JSON.stringify(platform.clientId)} ` +
          `is registered on this Moodle`,
        {
          problem: 'mismatch',
          cause: { id: 'client-unknown' },
          faq: 'F.11',
          fix: {
            system: 'inspera-lti',
            where: MOODLE_DETAILS,
            field: 'Client ID',
            action: "record the Client ID shown in Moodle's Tool configuration details (and send it to Inspera)",
          },
        },
      );
    }
    // The tool's Public key type is "RSA key" with no key (or Keyset URL with none): token.php can check no
    // assertion, so every grade and roster call fails — while the Client ID is known (locallib.php lti_verify_jwt…).
    const noKey = /No public key(set)? configured/i.exec(parsed.error ?? '');
    if (answer.status === 400 && noKey) {
      const keyset = noKey[1] !== undefined;
      return result(
        this.id,
        this.title,
        'fail',
        `token.php answered "${parsed.error}": Moodle knows the Client ID but has ` +
          `${keyset ? 'no Public keyset URL' : 'Public key type "RSA key" with no key'} for the tool, so it can ` +
          'check no token request — grades and rosters fail',
        {
          problem: 'keyset',
          cause: { id: 'tool-setting' },
          fix: {
            system: 'Moodle',
            where: MOODLE_TOOL.replace(/^Moodle: /, ''),
            field: keyset ? 'Public keyset' : 'Public key type',
            value: keyset ? (ctx.config.tool?.urls.keysetUrl ?? "Inspera's keyset URL") : 'Keyset URL',
            action: keyset
              ? 'enter the keyset URL exactly'
              : 'choose Keyset URL, with Inspera\'s keyset URL in "Public keyset"',
          },
        },
      );
    }
    if (answer.status === 400 && parsed.error) {
      return result(
        this.id,
        this.title,
        'pass',
        `Client ID is registered: Moodle judged the deliberately ` +
          `unsigned assertion and answered "${parsed.error}"${lenient}`,
      );
    }
    if (answer.status === 404 && /Exception/.test(answer.body)) {
      const keysetUrl = ctx.config.tool?.urls.keysetUrl;
      // The exception's own words: a 5.x page opens with import maps and scripts before them.
      const text = visibleText(answer.body, 4000);
      const evidence = text.slice(Math.max(0, text.search(/Exception/)), Math.max(0, text.search(/Exception/)) + 300);
      // Moodle's page is the same whether its cURL guard refused the keyset or the keyset did not answer: ask it from
      // here before naming either.
      const fromHere = keysetUrl ? await ctx.get(keysetUrl) : undefined;
      if (fromHere && (!fromHere.ok || fromHere.status >= 400)) {
        return result(
          this.id,
          this.title,
          'fail',
          `the Client ID is registered, but Moodle could ` +
            `not download the tool keyset ${keysetUrl} (token.php ` +
            `answered a fatal error page), and it does not ` +
            `answer from here either: ${describeAnswer(fromHere)}`,
          {
            ...troubleOf(fromHere),
            faq: 'F.13',
            evidence,
            fix: {
              system: 'network',
              action:
                `bring the tool's keyset up at ${keysetUrl} (Moodle ` +
                `downloads it at every token request); if the ` +
                `URL is wrong, correct "Public keyset" in the ` +
                `Moodle tool`,
            },
          },
        );
      }
      const keyset = fromHere?.ok ? parseJson(fromHere) : undefined;
      const keysetErrors = keyset ? (keyset.ok ? (await checkJwks(keyset.value)).errors : [keyset.why]) : [];
      if (keysetErrors.length) {
        return toolKeysetFailure(
          this.id,
          this.title,
          `the Client ID is registered, but Moodle could ` +
            `not use the tool keyset ${keysetUrl} (token.php ` +
            `answered a fatal error page); from here it answers, ` +
            `but ${keysetErrors.join('; ')}`,
          evidence,
          {
            system: 'Moodle',
            where: MOODLE_DETAILS.replace('View configuration details', 'edit'),
            field: 'Public keyset',
            value: keysetUrl,
            action: "enter Inspera's key-url exactly (it answers a JWKS)",
          },
        );
      }
      const blocked = keysetUrl ? blockedByDefault(keysetUrl) : undefined;
      if (blocked) {
        return toolKeysetFailure(
          this.id,
          this.title,
          `the Client ID is registered, but Moodle could ` +
            `not download the tool keyset ${keysetUrl} although ` +
            `it answers from here: token.php answered a fatal ` +
            `error page — ${blocked.why}, so a site that ` +
            `keeps Moodle's default "${blocked.label}" (${blocked.setting}) ` +
            `refuses it (this site's own list cannot be read ` +
            `from outside)`,
          evidence,
          {
            system: 'Moodle',
            where: HTTP_SECURITY_PAGE,
            field: blocked.label,
            action:
              blocked.setting === 'curlsecurityblockedhosts'
                ? `remove the line that blocks ${new URL(keysetUrl!).hostname} ` +
                  `from "${blocked.label}" (test sites only), or ` +
                  `publish the keyset on a public host`
                : `add ${new URL(keysetUrl!).port} to "${blocked.label}", or publish the keyset on port 443`,
          },
        );
      }
      return toolKeysetFailure(
        this.id,
        this.title,
        'the Client ID is registered, but Moodle could not download the ' +
          'tool keyset: token.php answered a fatal error page',
        evidence,
        {
          system: 'Moodle',
          where: MOODLE_DETAILS.replace('View configuration details', 'edit'),
          field: 'Public keyset',
          value: keysetUrl,
          action:
            "enter Inspera's key-url exactly; it must be reachable from " +
            'Moodle on port 443 and not blocked by curlsecurityblockedhosts',
        },
      );
    }
    return result(
      this.id,
      this.title,
      'fail',
      `${url} does not answer like Moodle's token.php: ${describeAnswer(answer)}`,
      {
        ...troubleOf(answer),
        evidence: answer.body.slice(0, 300),
        fix: {
          system: 'inspera-lti',
          field: 'Access token URL',
          action: 'record the Access token URL from Tool configuration details ({Platform ID}/mod/lti/token.php)',
        },
      },
    );
  },
};

export const authCheck: Check<ValidateContext> = {
  id: 'platform.auth',
  title: 'Moodle auth endpoint (auth.php)',
  faq: 'F.2',
  async run(ctx) {
    const { platform } = ctx.config;
    const url =
      platform.authRequestUrl ?? (platform.platformId ? endpointsFor(root(platform)).authRequestUrl : undefined);
    if (!url) return needs(this.id, this.title, 'Authentication request URL');
    const answer = await ctx.get(url, { followRedirects: false });
    if (!answer.ok)
      return result(this.id, this.title, 'fail', `${url}: ${answer.failure.message}`, { ...troubleOf(answer) });
    const location = answer.headers.location;
    if (answer.status >= 300 && answer.status < 400 && location) {
      const target = new URL(location, url);
      const same = target.host === new URL(url).host;
      const redirect = redirectProblem(url, location);
      return result(
        this.id,
        this.title,
        same && !redirect.loop ? 'warn' : 'fail',
        redirect.loop
          ? `${url} redirects to itself (a redirect loop): the site misbehaves`
          : `${url} redirected to ${target}${same ? '' : ' — another site'}`,
        {
          problem: redirect.problem,
          cause: redirect.cause,
          faq: 'F.20',
          fix: { system: 'Moodle', action: "the URL must be Moodle's own auth.php at its wwwroot" },
        },
      );
    }
    if (answer.status >= 400)
      return result(this.id, this.title, 'fail', `${url} answered ${describeAnswer(answer)}`, {
        ...troubleOf(answer),
        fix: {
          system: 'inspera-lti',
          field: 'Authentication request URL',
          value: platform.platformId ? endpointsFor(root(platform)).authRequestUrl : undefined,
          action: 'record the Authentication request URL from Tool configuration details',
        },
      });
    // Without a session Moodle's auth.php answers its cross-site repost page: a form posting repost=true to itself.
    if (looksLikeHtml(answer) && /name="repost"/.test(answer.body) && /auth\.php/.test(answer.body)) {
      return result(this.id, this.title, 'pass', "answers like Moodle's auth.php (its cross-site repost page)");
    }
    return result(
      this.id,
      this.title,
      'warn',
      `${url} answered ${describeAnswer(answer)}, which does not look like Moodle's auth.php`,
      { cause: { id: 'wwwroot' }, evidence: answer.body.slice(0, 200) },
    );
  },
};

export const clockCheck: Check<ValidateContext> = {
  id: 'platform.clock',
  title: 'Clock skew against Moodle',
  faq: 'F.9',
  async run(ctx) {
    const { platform } = ctx.config;
    const url =
      platform.publicKeysetUrl ?? (platform.platformId ? endpointsFor(root(platform)).publicKeysetUrl : undefined);
    if (!url) return needs(this.id, this.title, 'Public keyset URL');
    return clockResult(this.id, this.title, url, await ctx.get(url, { followRedirects: false }), 'Moodle');
  },
};

export function clockResult(
  id: string,
  title: string,
  url: string,
  answer: Awaited<ReturnType<ValidateContext['get']>>,
  who: string,
): CheckResult {
  if (!answer.ok) return result(id, title, 'skip', `not measured: ${answer.failure.message}`);
  const date = Date.parse(answer.headers.date ?? '');
  if (Number.isNaN(date)) return result(id, title, 'skip', `not measured: ${url} sent no Date header`);
  // The Date header has whole seconds; compare with the middle of the request and allow for that second.
  const skew = Math.round((date + 500 - answer.midpointMs) / 1000);
  const words =
    skew === 0 ? 'in step with this machine' : `${Math.abs(skew)} s ${skew > 0 ? 'ahead of' : 'behind'} this machine`;
  if (Math.abs(skew) >= 60)
    return result(
      id,
      title,
      'fail',
      `${who}'s clock is ${words}: Moodle's id_token (60 s) expires before it can be used`,
      {
        cause: { id: 'clock-skew' },
        faq: 'F.9',
        fix: { system: 'network', action: `synchronise ${who}'s server clock with NTP` },
      },
    );
  if (Math.abs(skew) > 5)
    return result(id, title, 'warn', `${who}'s clock is ${words}; token.php allows no leeway and id_tokens live 60 s`, {
      cause: { id: 'clock-skew' },
      faq: 'F.9',
      fix: { system: 'network', action: `synchronise ${who}'s server clock with NTP` },
    });
  return result(id, title, 'pass', `${who}'s clock is ${words} (±1 s)`);
}
