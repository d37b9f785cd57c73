import { getDomain } from 'tldts';
import { isIpLiteral } from './ip.js';

/**
 * The "site" of a URL for SameSite rules: scheme plus the registrable domain by the public suffix list (tldts), so
 * moodle.uni1.ac.uk and exams.uni2.ac.uk are two sites; IP addresses and single labels (localhost) stand alone.
 */
export function siteOf(url: URL): string {
  const key = `${url.protocol}//${url.hostname}`;
  let site = SITES.get(key);
  if (site === undefined) {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const registrable =
      isIpLiteral(host) || !host.includes('.') ? host : (getDomain(host, { allowPrivateDomains: true }) ?? host);
    site = `${url.protocol}//${registrable}`;
    // Every request asks several times (initiator, chain, frame): remember a few hundred hosts.
    if (SITES.size > 500) SITES.clear();
    SITES.set(key, site);
  }
  return site;
}
const SITES = new Map<string, string>();
