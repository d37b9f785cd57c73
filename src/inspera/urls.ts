/**
 * Inspera Assessment's LTI 1.3 URL templates (facts E.1). The one place they live; a config may override any of
 * them (`tool.templates`) because Inspera may change them and a self-hosted or test tool uses other paths.
 */
export interface ToolUrlTemplates {
  /** Inspera "key-url" → Moodle "Public keyset" (Public key type = Keyset URL). */
  keysetUrl: string;
  /** Inspera "login-init" → Moodle "Initiate login URL". */
  loginInitUrl: string;
  /** Inspera "redirect-url" → Moodle "Tool URL" (and the id_token's target_link_uri). */
  toolUrl: string;
  /** Inspera "redirect-url(s)" → Moodle "Redirection URI(s)", one per line. */
  redirectUrls: string[];
}

export const INSPERA_URL_TEMPLATES: Readonly<ToolUrlTemplates> = Object.freeze({
  keysetUrl: 'https://{domain}/ICSXapi/metadata/PublicCertificates',
  loginInitUrl: 'https://{domain}/ltiprovider/init',
  toolUrl: 'https://{domain}/ltiprovider/launch',
  redirectUrls: Object.freeze(['https://{domain}/ltiprovider/launch']) as unknown as string[],
});

export type ToolUrls = ToolUrlTemplates;

function fill(template: string, domain: string, scheme: 'https' | 'http'): string {
  const url = template.replaceAll('{domain}', domain);
  // A local test tool reached over plain http (--allow-insecure) keeps the https templates' paths.
  return scheme === 'http' && url.startsWith(`https://${domain}`) ? 'http' + url.slice('https'.length) : url;
}

export function toolUrlsFor(
  domain: string,
  scheme: 'https' | 'http' = 'https',
  templates: Partial<ToolUrlTemplates> = {},
): ToolUrls {
  const t = { ...INSPERA_URL_TEMPLATES, ...templates };
  return {
    keysetUrl: fill(t.keysetUrl, domain, scheme),
    loginInitUrl: fill(t.loginInitUrl, domain, scheme),
    toolUrl: fill(t.toolUrl, domain, scheme),
    redirectUrls: t.redirectUrls.map((u) => fill(u, domain, scheme)),
  };
}
