/** Whether a host name is an IP literal (v4, or v6 with or without brackets) — without loading node:net at start-up. */
export function isIpLiteral(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(bare) || (bare.includes(':') && /^[0-9a-f:.]+$/i.test(bare));
}

/** A host only a test set-up uses (localhost, *.localhost, an IP address): where http and odd ports are expected. */
export function isLocalTestHost(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || isIpLiteral(host);
}
