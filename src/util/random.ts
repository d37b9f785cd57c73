import { randomFillSync } from 'node:crypto';

// Cryptographically random bytes handed out from a pool refilled 4 KiB at a time, as node's randomUUID does: the
// simulators draw several small values per launch, and a call into OpenSSL each is a measurable cost in load mode.
const POOL = Buffer.alloc(4096);
let offset = POOL.length;

export function randomBuffer(size: number): Buffer {
  if (size > POOL.length) return randomFillSync(Buffer.alloc(size));
  if (offset + size > POOL.length) {
    randomFillSync(POOL);
    offset = 0;
  }
  // A copy: a handed-out value never changes when the pool refills.
  const out = Buffer.from(POOL.subarray(offset, offset + size));
  offset += size;
  return out;
}

export function randomHex(bytes: number): string {
  return randomBuffer(bytes).toString('hex');
}
