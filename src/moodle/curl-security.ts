/**
 * Moodle's outgoing-HTTP guard (core\files\curl_security_helper), which token.php's download of the tool keyset goes
 * through. Its defaults (admin/settings/security.php) block loopback, private and link-local hosts and allow only
 * ports 80 and 443; a blocked keyset URL makes every token.php request a fatal error page.
 */
export const HTTP_SECURITY_PAGE = 'Moodle: Site administration > General > Security > HTTP security';

const BLOCKED_V4 = [
  ['127.0.0.0', 8],
  ['192.168.0.0', 16],
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['169.254.169.254', 32],
  ['0.0.0.0', 32],
] as const;

function v4(host: string): number | undefined {
  const parts = host.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

/** The setting that, at Moodle's default, blocks this URL; undefined when the defaults let it through. */
export function blockedByDefault(
  url: string,
): { setting: 'curlsecurityblockedhosts' | 'curlsecurityallowedport'; label: string; why: string } | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const ip = v4(host);
  const blockedIp =
    ip !== undefined &&
    BLOCKED_V4.some(
      ([base, bits]) => ip >>> (32 - bits) === v4(base)! >>> (32 - bits) || (bits === 32 && ip === v4(base)),
    );
  if (host === 'localhost' || blockedIp || host === '::1' || host === '0000::1') {
    return {
      setting: 'curlsecurityblockedhosts',
      label: 'cURL blocked hosts list',
      why: `${host} is on the default cURL blocked hosts list (loopback, private and link-local addresses)`,
    };
  }
  const port = parsed.port || (parsed.protocol === 'https:' ? '443' : '80');
  if (port !== '80' && port !== '443') {
    return {
      setting: 'curlsecurityallowedport',
      label: 'cURL allowed ports list',
      why: `port ${port} is not on the default cURL allowed ports list (80, 443)`,
    };
  }
  return undefined;
}
