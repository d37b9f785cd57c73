import { domainToUnicode } from 'node:url';
import { IDN_HINT, idnProblem } from '../util/idn.js';
import { isIpLiteral } from '../util/ip.js';
import type { CauseId } from '../core/causes.js';
import type { CheckResult, Fix } from '../core/result.js';
import {
  ENDPOINT_KEYS,
  MOODLE_ENDPOINT_PATHS,
  TOOL_DETAIL_KEYS,
  TOOL_DETAIL_LABELS,
  endpointsFor,
  type ToolDetailKey,
  type ToolDetails,
} from './tool-details.js';

export interface LintOptions {
  allowInsecure?: boolean;
  /** A genuine internationalised Moodle host (lookalike mixes stay errors). */
  allowIdn?: boolean;
}

const INVISIBLE = /[\u00a0\u1680\u2000-\u200d\u2028\u2029\u202f\u205f\u3000\ufeff]/;
const CLIENT_ID = /^[A-Za-z0-9]{15}$/;
const DETAILS_SCREEN =
  'Site admin > Plugins > Activity modules > External tool > Manage ' +
  'tools > (the Inspera tool) > View configuration details';

function codePoint(ch: string): string {
  return 'U+' + ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
}

function looksLikeUrl(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(value) || /^[\w-]+(\.[\w-]+)+\//.test(value);
}

/** What a mistake in one of the six values breaks: a copy mistake is the record's, a real mismatch the field's. */
function causeOf(key: ToolDetailKey, problem: string): CauseId {
  const copied = ['inner-whitespace', 'invisible-character', 'surrounding-whitespace'].includes(problem);
  if (key === 'platformId') return copied || problem === 'local' ? 'recorded-value' : 'issuer-mismatch';
  if (key === 'clientId') return problem === 'shape' ? 'client-id' : 'recorded-value';
  if (key === 'deploymentId') return 'deployment-id';
  return problem === 'other-host' || problem === 'not-under-platform-id' ? 'wwwroot' : 'recorded-value';
}

function result(
  key: ToolDetailKey,
  id: string,
  status: 'fail' | 'warn',
  finding: string,
  value: string,
  fix: Omit<Fix, 'system' | 'field'> & { system?: Fix['system'] },
  faq?: string,
): CheckResult {
  return {
    id: `platform.${key}.${id}`,
    title: TOOL_DETAIL_LABELS[key],
    status,
    finding: `${TOOL_DETAIL_LABELS[key]}: ${finding}`,
    evidence: JSON.stringify(value),
    fix: {
      system: fix.system ?? 'inspera-lti',
      field: TOOL_DETAIL_LABELS[key],
      ...fix,
      where: fix.where ?? DETAILS_SCREEN,
    },
    cause: { id: causeOf(key, id), certainty: 10 },
    ...(faq ? { faq } : {}),
  };
}

/** Whitespace or invisible characters: the FAQ's first cause of "authentication failed" (facts E.5). */
function lintWhitespace(key: ToolDetailKey, value: string): CheckResult | undefined {
  const invisible = INVISIBLE.exec(value);
  if (invisible) {
    return result(
      key,
      'invisible-character',
      'fail',
      `contains an invisible character (${codePoint(invisible[0])}), usually from copying out of a web page`,
      value,
      {
        value: value.replace(new RegExp(INVISIBLE.source, 'g'), '').trim(),
        action: 'type or paste the value again without the invisible character',
      },
      'E.5',
    );
  }
  if (value !== value.trim()) {
    return result(
      key,
      'surrounding-whitespace',
      'fail',
      'has spaces or tabs before or after it',
      value,
      { value: value.trim(), action: 'remove the whitespace around the value' },
      'E.5',
    );
  }
  if (/\s/.test(value)) {
    return result(
      key,
      'inner-whitespace',
      'fail',
      'contains whitespace',
      value,
      { action: "copy the value again from Moodle's Tool configuration details; it never contains spaces" },
      'E.5',
    );
  }
  return undefined;
}

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/**
 * A host typed with letters from another script (Cyrillic "р" for Latin "p") that the URL parser turned into
 * punycode silently: say so, with both forms.
 */
function lookalikeHost(url: URL, allowIdn = false): string | undefined {
  const problem = idnProblem(domainToUnicode(url.hostname), url.hostname, allowIdn);
  return problem ? `the host ${problem}` : undefined;
}

function lintPlatformId(value: string, options: LintOptions): CheckResult[] {
  const key = 'platformId';
  if (/\/mod\/lti\//.test(value)) {
    return [
      result(
        key,
        'is-endpoint',
        'fail',
        'is an endpoint URL, not the site address (it looks swapped with one of the URLs)',
        value,
        {
          value: value.replace(/\/mod\/lti\/.*$/, ''),
          action: 'record the Platform ID line of Tool configuration details: the site address only',
        },
      ),
    ];
  }
  const url = parseUrl(value);
  if (!url || !/^https?:$/.test(url.protocol)) {
    return [
      result(key, 'not-url', 'fail', 'is not a web address', value, {
        action: "copy the Platform ID from Moodle's Tool configuration details, e.g. https://moodle.example.edu",
      }),
    ];
  }
  const problems: CheckResult[] = [];
  if (url.protocol === 'http:' && !options.allowInsecure) {
    problems.push(
      result(
        key,
        'http',
        'fail',
        "uses http:// — Moodle's issuer for an LTI 1.3 site is its https " +
          'address, and the tool compares it byte for byte',
        value,
        {
          value: 'https://' + value.slice('http://'.length).replace(/\/+$/, ''),
          action:
            'use the https address exactly as Moodle shows it (if Moodle ' +
            'itself shows http://, its wwwroot must be changed to https ' +
            'first)',
        },
        'F.1',
      ),
    );
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!options.allowInsecure && (host === 'localhost' || host.endsWith('.localhost') || isIpLiteral(host))) {
    problems.push(
      result(key, 'local', 'fail', `is a local address (${host}) — Inspera cannot reach a Moodle there`, value, {
        action: "record the Moodle site's public address (--allow-insecure permits a local test site)",
      }),
    );
  }
  const lookalike = lookalikeHost(url, options.allowIdn);
  if (lookalike)
    problems.push(
      result(key, 'lookalike', 'fail', lookalike, value, {
        action: `check the host letter by letter, the tool compares the issuer byte for byte: ${IDN_HINT}`,
      }),
    );
  if (value.endsWith('/')) {
    problems.push(
      result(
        key,
        'trailing-slash',
        'fail',
        'ends with "/" — Moodle never sends one, so the tool\'s issuer would not match the id_token\'s iss',
        value,
        { value: value.replace(/\/+$/, ''), action: 'remove the trailing slash' },
        'F.1',
      ),
    );
  }
  if (url.search || url.hash) {
    problems.push(
      result(key, 'query', 'fail', 'has a query or fragment — a Platform ID is only the site address', value, {
        value: `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`,
        action: 'drop everything from "?" or "#"',
      }),
    );
  }
  if (/\.php$/i.test(url.pathname)) {
    problems.push(
      result(key, 'is-page', 'fail', 'ends with a .php page — a Platform ID is only the site address', value, {
        action: "copy the Platform ID from Moodle's Tool configuration details",
      }),
    );
  }
  return problems;
}

function lintClientId(value: string): CheckResult[] {
  const key = 'clientId';
  if (looksLikeUrl(value)) {
    return [
      result(key, 'is-url', 'fail', 'is a URL — it looks swapped with another field', value, {
        action: 'record the Client ID line: 15 letters and digits, e.g. EhdzqulqmXxNDkw',
      }),
    ];
  }
  if (!CLIENT_ID.test(value)) {
    return [
      result(
        key,
        'shape',
        'warn',
        `does not look like a Moodle client id (Moodle ` +
          `makes 15 letters and digits; this has ${value.length} ` +
          `characters${/[^A-Za-z0-9]/.test(value) ? ' and others than letters and digits' : ''})`,
        value,
        { action: 'check that it was copied completely from Tool configuration details' },
        'F.3',
      ),
    ];
  }
  return [];
}

function lintDeploymentId(value: string, clientId: string | undefined): CheckResult[] {
  const key = 'deploymentId';
  if (looksLikeUrl(value)) {
    return [
      result(key, 'is-url', 'fail', 'is a URL — it looks swapped with another field', value, {
        action: 'record the Deployment ID line: a number such as 3',
      }),
    ];
  }
  if (CLIENT_ID.test(value) && clientId !== undefined && /^\d+$/.test(clientId)) {
    return [
      result(
        key,
        'swapped-with-client-id',
        'fail',
        `looks like a client id while Client ID "${clientId}" looks like a deployment id — the two are swapped`,
        value,
        { action: `record Client ID = ${value} and Deployment ID = ${clientId}` },
      ),
    ];
  }
  if (!/^\d+$/.test(value)) {
    return [
      result(
        key,
        'not-number',
        'warn',
        "is not a number — Moodle's deployment id is the tool type's numeric id",
        value,
        { action: 'check the Deployment ID line of Tool configuration details' },
      ),
    ];
  }
  return [];
}

function lintEndpoint(
  key: (typeof ENDPOINT_KEYS)[number],
  value: string,
  platformId: string | undefined,
  options: LintOptions,
): CheckResult[] {
  const url = parseUrl(value);
  if (!url || !/^https?:$/.test(url.protocol)) {
    return [
      result(key, 'not-url', 'fail', 'is not a web address', value, {
        action: `copy the ${TOOL_DETAIL_LABELS[key]} from Tool configuration details`,
      }),
    ];
  }
  const problems: CheckResult[] = [];
  if (url.protocol === 'http:' && !options.allowInsecure) {
    problems.push(
      result(key, 'http', 'fail', "uses http:// — Moodle's LTI endpoints must be https", value, {
        value: 'https://' + value.slice('http://'.length),
        action: 'use the https address',
      }),
    );
  }
  const swappedWith = ENDPOINT_KEYS.find(
    (other) => other !== key && url.pathname.endsWith(MOODLE_ENDPOINT_PATHS[other]),
  );
  if (swappedWith) {
    problems.push(
      result(
        key,
        'swapped',
        'fail',
        `ends with ${MOODLE_ENDPOINT_PATHS[swappedWith]}, ` +
          `which is the ${TOOL_DETAIL_LABELS[swappedWith]} ` +
          `— the two look swapped`,
        value,
        { action: `the ${TOOL_DETAIL_LABELS[key]} ends with ${MOODLE_ENDPOINT_PATHS[key]}` },
      ),
    );
    return problems;
  }
  if (!url.pathname.endsWith(MOODLE_ENDPOINT_PATHS[key])) {
    problems.push(
      result(
        key,
        'wrong-path',
        'fail',
        `does not end with ${MOODLE_ENDPOINT_PATHS[key]}, the path every Moodle uses`,
        value,
        {
          ...(platformId ? { value: endpointsFor(platformId)[key] } : {}),
          action: `use the ${TOOL_DETAIL_LABELS[key]} shown in Tool configuration details`,
        },
      ),
    );
    return problems;
  }
  const platform = platformId ? parseUrl(platformId) : undefined;
  if (platform && platformId) {
    const expected = endpointsFor(platformId)[key];
    if (url.host.toLowerCase() !== platform.host.toLowerCase()) {
      problems.push(
        result(
          key,
          'other-host',
          'fail',
          `is on ${url.host} but the Platform ID is on ` +
            `${platform.host} — Moodle serves all of them ` +
            `from its own address`,
          value,
          { value: expected, action: "use the URL on the Platform ID's host" },
          'F.20',
        ),
      );
    } else if (value !== expected) {
      problems.push(
        result(
          key,
          'not-under-platform-id',
          'fail',
          `does not match the Platform ID (expected ${expected}) ` +
            `— scheme and any sub-path such as /moodle must ` +
            `be the same in both`,
          value,
          {
            value: expected,
            action: 'make the Platform ID and the URL agree; copy both again from Tool configuration details',
          },
          'F.1',
        ),
      );
    }
  }
  return problems;
}

/**
 * Check the six Tool configuration details as an admin recorded them. Returns only problems: `fail` for values
 * that will break authentication, `warn` for values that are unusual but may be right.
 */
export function lintToolDetails(details: Partial<ToolDetails>, options: LintOptions = {}): CheckResult[] {
  const problems: CheckResult[] = [];
  for (const key of TOOL_DETAIL_KEYS) {
    const value = details[key];
    if (value === undefined) continue;
    if (value === '') {
      problems.push(
        result(key, 'empty', 'fail', 'is empty', value, {
          action: `copy the ${TOOL_DETAIL_LABELS[key]} from Tool configuration details`,
        }),
      );
      continue;
    }
    const whitespace = lintWhitespace(key, value);
    if (whitespace) {
      problems.push(whitespace);
      continue;
    }
    if (key === 'platformId') problems.push(...lintPlatformId(value, options));
    else if (key === 'clientId') problems.push(...lintClientId(value));
    else if (key === 'deploymentId') problems.push(...lintDeploymentId(value, details.clientId));
    else {
      const platformId = details.platformId?.trim().replace(/\/+$/, '');
      problems.push(...lintEndpoint(key, value, platformId && parseUrl(platformId) ? platformId : undefined, options));
    }
  }
  return problems;
}
