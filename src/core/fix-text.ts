import type { Fix } from './result.js';

/** Where a fix is made: "Moodle › Site administration > … › "Field"" (the system named once). */
function fixWhere(fix: Fix): string {
  const system = fix.system === 'inspera-lti' ? 'the recorded values (inspera-lti)' : fix.system;
  const where = fix.where?.replace(/^(Moodle|Inspera support|Inspera): /, '');
  return [system, where && where !== fix.system ? where : undefined, fix.field ? `"${fix.field}"` : undefined]
    .filter(Boolean)
    .join(' › ');
}

/** The whole fix in one line: where, the value to put there (styled by the caller), and what to do. */
export function fixLine(fix: Fix, value: (text: string) => string = (text) => text, valueOverride?: string): string {
  const shown = valueOverride ?? fix.value;
  return `${fixWhere(fix)}${shown ? ` = ${value(shown)}` : ''}: ${fix.action}`;
}

/** The values a fix template's placeholders stand for, where the caller knows them. */
export interface FixValues {
  /** The tool's origin, for https://{domain} (the config's own scheme: a test tool on http gets http). */
  toolOrigin?: string;
  /** The tool's host, for {domain}. */
  toolHost?: string;
  /** The tenant's Redirection URIs and keyset, for the template URLs of init's defaults. */
  redirectUrls?: readonly string[];
  keysetUrl?: string;
  /** Moodle's wwwroot, for {Platform ID}. */
  platformId?: string;
}

/** A catalogue fix with the values the caller knows put in for its placeholders ({domain}, {Platform ID}). */
export function fillFix(fix: Fix, values: FixValues): Fix {
  const fill = (text: string) => {
    let out = text;
    if (values.redirectUrls)
      out = out.replaceAll('https://{domain}/ltiprovider/launch', values.redirectUrls.join(' / '));
    if (values.keysetUrl)
      out = out.replaceAll('https://{domain}/ICSXapi/metadata/PublicCertificates', values.keysetUrl);
    if (values.toolOrigin) out = out.replaceAll('https://{domain}', values.toolOrigin);
    if (values.toolHost) out = out.replaceAll('{domain}', values.toolHost);
    if (values.platformId) out = out.replaceAll('{Platform ID}', values.platformId);
    return out;
  };
  return { ...fix, action: fill(fix.action), ...(fix.value !== undefined ? { value: fill(fix.value) } : {}) };
}
