/** One Set-Cookie line, read: name, value and the attributes LTI launches depend on. */
export interface SetCookie {
  name: string;
  value: string;
  path: string;
  /** As declared (case kept); undefined when the cookie has none (Chrome then treats it as Lax). */
  sameSite?: string;
  secure: boolean;
  httpOnly: boolean;
  /** CHIPS: kept per top-level site, so a third-party cookie block does not keep it back. */
  partitioned: boolean;
  /** The line removes the cookie: an expiry in the past, Max-Age 0, or PHP's "deleted" value. */
  deletes: boolean;
}

export function parseSetCookie(line: string): SetCookie | undefined {
  const [pair, ...rest] = line.split(';');
  const eq = pair!.indexOf('=');
  if (eq <= 0) return undefined;
  const attributes = rest.map((a) => a.trim());
  const sameSite = attributes.find((a) => /^samesite=/i.test(a))?.slice('samesite='.length);
  const expires = Date.parse(attributes.find((a) => /^expires=/i.test(a))?.slice('expires='.length) ?? '');
  const maxAge = attributes.find((a) => /^max-age=/i.test(a))?.slice('max-age='.length);
  const value = pair!.slice(eq + 1).trim();
  return {
    name: pair!.slice(0, eq).trim(),
    value: pair!.slice(eq + 1).trim(),
    path: attributes.find((a) => /^path=/i.test(a))?.slice('path='.length) || '/',
    ...(sameSite ? { sameSite } : {}),
    secure: attributes.some((a) => /^secure$/i.test(a)),
    httpOnly: attributes.some((a) => /^httponly$/i.test(a)),
    partitioned: attributes.some((a) => /^partitioned$/i.test(a)),
    deletes: value === 'deleted' || (maxAge !== undefined && Number(maxAge) <= 0) || expires < Date.now(),
  };
}
