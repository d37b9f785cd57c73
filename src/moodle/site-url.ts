import { InsperaLtiError } from '../errors.js';
import { domainToUnicode } from 'node:url';
import { IDN_HINT, idnProblem } from '../util/idn.js';
import { isIpLiteral } from '../util/ip.js';

/** Paths that belong to pages inside a Moodle site, never to its wwwroot. */
const MOODLE_PAGE_DIRS = [
  'mod',
  'admin',
  'course',
  'login',
  'my',
  'user',
  'blocks',
  'local',
  'lib',
  'theme',
  'grade',
  'auth',
];

export interface SiteUrl {
  /** The wwwroot as Moodle would print it: scheme, host, optional sub-path, never a trailing slash. */
  wwwroot: string;
  warnings: string[];
}

/**
 * Turn what a person typed as "the Moodle site address" into its wwwroot: trims, drops a trailing slash and a
 * pasted page path (`/login/index.php`, `/mod/lti/...`) with a warning, keeps a real sub-path such as `/moodle`.
 */
export function parseMoodleSiteUrl(
  input: string,
  options: { allowInsecure?: boolean; allowIdn?: boolean; source?: string } = {},
): SiteUrl {
  const source = options.source ?? '--moodle-url';
  const fail = (why: string, hint: string): never => {
    throw new InsperaLtiError('INVALID_URL', `${source} ${JSON.stringify(input)}: ${why}`, hint);
  };
  const example = 'give the Moodle site address, e.g. --moodle-url https://moodle.example.edu';
  const trimmed = input.trim();
  if (trimmed === '') fail('is empty', example);
  if (/\s/.test(trimmed)) fail('contains whitespace', 'remove the spaces; ' + example);
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return fail('is not a URL', example);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && options.allowInsecure)) {
    fail(
      `uses ${url.protocol}//`,
      'Moodle must be reached over https for LTI 1.3 (--allow-insecure permits http for a local test site)',
    );
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!options.allowInsecure && (host === 'localhost' || isIpLiteral(host))) {
    fail('is a local address', 'use the site host name (--allow-insecure permits local test sites)');
  }
  if (url.username || url.password) fail('contains a user name or password', example);
  const idn = idnProblem(domainToUnicode(host), host, options.allowIdn === true);
  if (idn) fail(idn, IDN_HINT);

  const warnings: string[] = [];
  if (url.search || url.hash)
    warnings.push(`dropped "${url.search}${url.hash}" from ${source}: only the site address is needed`);
  const segments = url.pathname.split('/').filter(Boolean);
  let keep = segments.length;
  const pageAt = segments.findIndex(
    (s, i) => MOODLE_PAGE_DIRS.includes(s) || (i === segments.length - 1 && s.endsWith('.php')),
  );
  if (pageAt >= 0) {
    keep = pageAt;
    warnings.push(
      `dropped "/${segments.slice(pageAt).join('/')}" ` +
        `from ${source}: that is a page inside Moodle, ` +
        `not the site address`,
    );
  }
  const path = segments.slice(0, keep).join('/');
  return { wwwroot: `${url.protocol}//${url.host}${path ? '/' + path : ''}`, warnings };
}
