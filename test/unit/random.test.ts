import { describe, expect, it } from 'vitest';
import { randomBuffer, randomHex } from '../../src/util/random.js';

describe('random values from the pool', () => {
  it('are the length asked for, never repeat, and keep their bytes when the pool refills', () => {
    const first = randomBuffer(16);
    const copy = Buffer.from(first);
    const seen = new Set<string>();
    // Several refills of the 4 KiB pool.
    for (let i = 0; i < 2000; i++) seen.add(randomHex(16));
    expect(seen.size).toBe(2000);
    expect([...seen].every((h) => /^[0-9a-f]{32}$/.test(h))).toBe(true);
    expect(first.equals(copy)).toBe(true);
    expect(randomBuffer(5000)).toHaveLength(5000);
  });
});
