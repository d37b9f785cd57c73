import { fillsMissingKeyAlg, releaseFromReleaseText, type MoodleRelease } from '../../moodle/versions.js';
import { MOODLE_DISCOVERY_PATH, discoveredVersion } from '../../moodle/tool-details.js';
import { checkJwks } from '../../lti/jwks-check.js';
import type { CauseRef, Check, CheckResult, Problem } from '../../core/result.js';
import { MOODLE_TOOL, describeAnswer, parseJson, result, troubleOf, type ValidateContext } from './context.js';
import { clockResult } from './platform-checks.js';

/** Why a tool-side check without a tenant is not run. */
export const NO_TENANT = 'no Inspera tenant in the config (run inspera-lti init)';

const none = (id: string, title: string): CheckResult => result(id, title, 'skip', `not checked: ${NO_TENANT}`);

export const toolKeysetCheck: Check<ValidateContext> = {
  id: 'tool.keyset',
  title: 'Inspera keyset (key-url)',
  faq: 'F.13',
  async run(ctx) {
    const tool = ctx.config.tool;
    if (!tool) return none(this.id, this.title);
    const url = tool.urls.keysetUrl;
    const answer = await ctx.get(url);
    const fix = {
      system: 'Moodle' as const,
      where: `${MOODLE_TOOL} > Tool settings`,
      field: 'Public keyset',
      value: url,
      action: "Moodle downloads the tool key from here for token.php; it must answer the tenant's JWKS",
    };
    if (!answer.ok)
      return result(this.id, this.title, 'fail', `${url}: ${answer.failure.message}`, { ...troubleOf(answer), fix });
    if (answer.status !== 200)
      return result(this.id, this.title, 'fail', `${url} answered ${describeAnswer(answer)}`, {
        ...troubleOf(answer),
        fix,
      });
    const json = parseJson(answer);
    if (!json.ok)
      return result(this.id, this.title, 'fail', `${url}: ${json.why}`, {
        problem: 'not-moodle',
        cause: { id: 'wwwroot' },
        fix,
      });
    const verdict = await checkJwks(json.value);
    if (verdict.errors.length)
      return result(this.id, this.title, 'fail', `${url}: ${verdict.errors.join('; ')}`, {
        problem: 'keyset',
        cause: { id: 'tool-keyset' },
        fix,
        evidence: answer.body.slice(0, 500),
      });
    // A key without alg breaks token.php on a Moodle before MDL-83423 (4.4.5 / 4.5.1): known from discovery's version.
    const moodle = verdict.withoutAlg.length ? await discoveredRelease(ctx) : undefined;
    if (moodle && !fillsMissingKeyAlg(moodle))
      return result(
        this.id,
        this.title,
        'fail',
        `${url}: ${verdict.withoutAlg.join(', ')} ${verdict.withoutAlg.length > 1 ? 'have' : 'has'} no alg, and ` +
          `Moodle ${moodle.number} (before 4.4.5 / 4.5.1, MDL-83423) fails token.php on such a key: no grade or ` +
          'roster call of the tool succeeds',
        {
          problem: 'keyset',
          cause: { id: 'tool-keyset' },
          fix: {
            system: 'Inspera',
            where: "the tenant's keyset (key-url)",
            field: 'alg',
            value: 'RS256',
            action: 'publish every key with "alg": "RS256" (or update Moodle to 4.4.5 / 4.5.1 or later)',
          },
        },
      );
    return result(
      this.id,
      this.title,
      verdict.warnings.length ? 'warn' : 'pass',
      [
        `${verdict.kids.length} key${verdict.kids.length === 1 ? '' : 's'} (${verdict.kids.join(', ')})`,
        ...verdict.warnings,
      ].join('; '),
      { cause: { id: 'tool-keyset' }, observed: { kids: verdict.kids.join(' ') } },
    );
  },
};

function endpointCheck(
  id: string,
  title: string,
  pick: (urls: NonNullable<ValidateContext['config']['tool']>['urls']) => Array<[string, string]>,
): Check<ValidateContext> {
  return {
    id,
    title,
    async run(ctx) {
      const tool = ctx.config.tool;
      if (!tool) return none(id, title);
      const targets = pick(tool.urls);
      const findings: string[] = [];
      let status: CheckResult['status'] = 'pass';
      // The kind of trouble: the first one seen (the way there before the site's answer).
      let trouble: { problem: Problem; cause: CauseRef } | undefined;
      for (const [label, url] of targets) {
        const answer = await ctx.get(url);
        const host = new URL(url).host;
        if (!answer.ok) {
          status = 'fail';
          trouble ??= troubleOf(answer);
          findings.push(`${label} ${url}: ${answer.failure.message}`);
        } else if (new URL(answer.finalUrl).host !== host) {
          status = 'fail';
          trouble ??= { problem: 'not-moodle', cause: { id: 'wwwroot' } };
          findings.push(`${label} ${url} ends on another host, ${new URL(answer.finalUrl).host}, after redirects`);
        } else if (answer.status === 404) {
          status = 'fail';
          trouble ??= { problem: 'mismatch', cause: { id: 'recorded-value' } };
          findings.push(`${label} ${url} answered 404: the path does not exist on the tenant`);
        } else if (answer.status >= 500) {
          if (status === 'pass') status = 'warn';
          findings.push(
            `${label} answered ${answer.status} to a request without LTI parameters (a real launch sends them)`,
          );
        } else {
          findings.push(`${label} answers (HTTP ${answer.status})`);
        }
      }
      return result(
        id,
        title,
        status,
        findings.join('; '),
        status === 'fail'
          ? {
              ...(trouble ?? { cause: { id: 'recorded-value' } }),
              fix: {
                system: 'Moodle',
                where: `${MOODLE_TOOL} > Tool settings`,
                action: 'enter the URLs inspera-lti init prints for the tenant; check the tenant domain',
              },
            }
          : {},
      );
    },
  };
}

export const toolLoginCheck = endpointCheck('tool.login-init', 'Inspera login initiation URL', (urls) => [
  ['Initiate login URL', urls.loginInitUrl],
]);
export const toolLaunchCheck = endpointCheck('tool.launch', 'Inspera launch / redirect URL', (urls) => [
  ['Tool URL', urls.toolUrl],
  ...urls.redirectUrls.filter((u) => u !== urls.toolUrl).map((u): [string, string] => ['Redirection URI', u]),
]);

export const toolUrlsCheck: Check<ValidateContext> = {
  id: 'tool.urls',
  title: 'Inspera URLs are https on the tenant',
  run(ctx) {
    const tool = ctx.config.tool;
    if (!tool) return none(this.id, this.title);
    const all: Array<[string, string]> = [
      ['Public keyset', tool.urls.keysetUrl],
      ['Initiate login URL', tool.urls.loginInitUrl],
      ['Tool URL', tool.urls.toolUrl],
      ...tool.urls.redirectUrls.map((u): [string, string] => ['Redirection URI', u]),
    ];
    const problems: string[] = [];
    for (const [label, url] of all) {
      const parsed = new URL(url);
      if (parsed.protocol !== 'https:') problems.push(`${label} is not https`);
      if (parsed.host !== tool.domain) problems.push(`${label} is on ${parsed.host}, not the tenant ${tool.domain}`);
    }
    if (!problems.length) return result(this.id, this.title, 'pass', `all ${all.length} on https://${tool.domain}`);
    const insecureOnly = ctx.config.allowInsecure && problems.every((p) => p.endsWith('is not https'));
    return result(
      this.id,
      this.title,
      insecureOnly ? 'warn' : 'fail',
      problems.join('; ') + (insecureOnly ? ' (allowed by allowInsecure: a test tool)' : ''),
      insecureOnly
        ? { acknowledged: 'allowInsecure is set in the config: a test tool on plain http' }
        : {
            cause: { id: 'recorded-value' },
            fix: {
              system: 'Moodle',
              where: `${MOODLE_TOOL} > Tool settings`,
              action: `use the URLs inspera-lti init prints for ${tool.domain}`,
            },
          },
    );
  },
};

export const toolClockCheck: Check<ValidateContext> = {
  id: 'tool.clock',
  title: 'Clock skew against Inspera',
  faq: 'F.9',
  async run(ctx) {
    const tool = ctx.config.tool;
    if (!tool) return none(this.id, this.title);
    return clockResult(this.id, this.title, tool.urls.keysetUrl, await ctx.get(tool.urls.keysetUrl), 'Inspera');
  },
};

/** The Moodle release discovery reports, when it answers: the discovery check's own request (the context caches it). */
export async function discoveredRelease(ctx: ValidateContext): Promise<MoodleRelease | undefined> {
  const platformId = ctx.config.platform.platformId?.trim().replace(/\/+$/, '');
  if (!platformId) return undefined;
  const answer = await ctx.get(platformId + MOODLE_DISCOVERY_PATH, { followRedirects: false });
  if (!answer.ok || answer.status !== 200) return undefined;
  const json = parseJson(answer);
  const version = json.ok ? discoveredVersion(json.value) : undefined;
  return version ? releaseFromReleaseText(version) : undefined;
}
