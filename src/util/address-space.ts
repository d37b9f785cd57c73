/**
 * The address spaces of Chrome's Local Network Access (from Private Network Access): public, local (private and
 * link-local ranges) and loopback, least private first. A page may not reach into a more private space than its own
 * without permission.
 */
export type AddressSpace = 'public' | 'local' | 'loopback';

const RANK: Record<AddressSpace, number> = { public: 0, local: 1, loopback: 2 };

export function morePrivate(a: AddressSpace, b: AddressSpace): boolean {
  return RANK[a] > RANK[b];
}

function v4(address: string): number[] | undefined {
  const parts = address.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.map(Number);
}

/** The space of an IP address (v4, v6, v4-mapped v6); undefined for text that is no address. */
export function addressSpace(address: string): AddressSpace | undefined {
  const bare = address.replace(/^\[|\]$/g, '').toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare)?.[1];
  const octets = v4(mapped ?? bare);
  if (octets) {
    const [a, b] = octets as [number, number, number, number];
    if (a === 127) return 'loopback';
    if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254))
      return 'local';
    return 'public';
  }
  if (!bare.includes(':') || !/^[0-9a-f:.]+$/.test(bare)) return undefined;
  if (bare === '::1') return 'loopback';
  if (/^f[cd][0-9a-f]{2}:/.test(bare) || /^fe[89ab][0-9a-f]:/.test(bare)) return 'local';
  return 'public';
}
