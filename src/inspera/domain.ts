import { InsperaLtiError } from '../errors.js';
import { domainToUnicode } from 'node:url';
import { IDN_HINT, idnProblem } from '../util/idn.js';
import { isIpLiteral } from '../util/ip.js';

export interface TenantAddress {
  /** Lower-case host, with a port only when it is not the scheme's default. */
  domain: string;
  scheme: 'https' | 'http';
  /** Things we fixed silently enough to mention (a pasted path, a trailing dot). */
  warnings: string[];
}

export interface TenantOptions {
  /** Allow http, IP addresses and localhost — for test tools only. */
  allowInsecure?: boolean;
  /** Allow a genuine internationalised host (never a Latin/Cyrillic/Greek mix, nor emoji). */
  allowIdn?: boolean;
  /** Where the value came from, for messages (`--domain`, `tool.domain in inspera-lti.yaml`). */
  source?: string;
}

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * Turn what a person typed as the Inspera tenant into its host name: accepts `uni.inspera.com`,
 * `https://Uni.Inspera.com/`, stray whitespace, and a pasted path (dropped with a warning).
 */
export function parseTenant(input: string, options: TenantOptions = {}): TenantAddress {
  const source = options.source ?? '--domain';
  const fail = (why: string, hint: string): never => {
    throw new InsperaLtiError('INVALID_DOMAIN', `${source} ${JSON.stringify(input)}: ${why}`, hint);
  };
  const example = 'give the tenant host, e.g. --domain university.inspera.com';
  const trimmed = input.trim();
  if (trimmed === '') fail('is empty', example);
  if (/\s/.test(trimmed)) fail('contains whitespace', 'remove the spaces; ' + example);

  const warnings: string[] = [];
  const schemeMatch = SCHEME.exec(trimmed);
  const scheme = (schemeMatch?.[1] ?? 'https').toLowerCase();
  if (scheme !== 'https' && scheme !== 'http')
    fail(`uses the scheme "${scheme}://"`, 'Inspera is reached over https; ' + example);
  if (scheme === 'http' && !options.allowInsecure) {
    fail(
      'uses http://',
      'Inspera tenants are served over https — use https:// or just the ' +
        'host name (--allow-insecure permits http for a local test tool)',
    );
  }

  let url: URL;
  try {
    url = new URL(schemeMatch ? trimmed : `${scheme}://${trimmed}`);
  } catch {
    return fail('is not a host name', example);
  }
  if (url.username || url.password) fail('contains a user name or password', example);
  if (url.pathname !== '/' || url.search || url.hash) {
    warnings.push(
      `dropped "${url.pathname === '/' ? '' : url.pathname}${url.search}${url.hash}" ` +
        `after the host in ${source}: only the tenant ` +
        `host is needed`,
    );
  }

  let host = url.hostname.replace(/\.$/, '');
  const bareHost = host.replace(/^\[|\]$/g, '');
  const local = host === 'localhost' || host.endsWith('.localhost') || isIpLiteral(bareHost);
  if (local && !options.allowInsecure) {
    fail(
      isIpLiteral(bareHost) ? 'is an IP address, not a tenant host name' : 'is localhost, not a tenant host name',
      'use the tenant host, e.g. university.inspera.com (--allow-insecure permits local test tools)',
    );
  }
  if (host.length > 253) fail(`is ${host.length} characters long; a host name has at most 253`, example);
  if (url.port === '0') fail('has port 0, which nothing listens on', 'drop the port, or give the one the tenant uses');
  if (!local) {
    if (!host.includes('.')) fail('has no dot — it is not a full host name', example);
    if (host === 'inspera.com' || host === 'www.inspera.com')
      fail(`is Inspera's own site, not a tenant`, "give your tenant's host, e.g. university.inspera.com");
    if (!host.split('.').every((label) => LABEL.test(label))) fail('is not a valid host name', example);
    if (/^\d+$/.test(host.split('.').pop() ?? '')) fail('is not a valid host name', example);
  }
  if (host === 'lti-originality.inspera.com') {
    warnings.push(
      'lti-originality.inspera.com is Inspera Originality, a different ' +
        'product with its own fixed URLs — this tool sets up Inspera ' +
        'Assessment',
    );
  }
  const idn = idnProblem(domainToUnicode(host), host, options.allowIdn === true);
  if (idn) fail(idn, IDN_HINT);
  if (host.split('.').some((label) => label.startsWith('xn--'))) {
    warnings.push(`${source}: the host ${domainToUnicode(host)} is ${host} on the wire (allowed by --allow-idn)`);
  }
  if (url.port && url.port !== '443') {
    warnings.push(
      `${source}: port ${url.port} — Moodle's outgoing ` +
        `calls (the tool keyset for token.php) are allowed ` +
        `to ports 80 and 443 only by default ("cURL allowed ` +
        `ports list")`,
    );
  }
  if (url.port) host = `${host}:${url.port}`;
  return { domain: host, scheme: scheme as 'https' | 'http', warnings };
}
