import { describe, expect, it } from 'vitest';
import { ExpiringMap, ExpiringSet } from '../../src/util/expiring.js';

describe('ExpiringMap and ExpiringSet', () => {
  it('forget an entry ttl after it was set, and only then', () => {
    let now = 1_000;
    const map = new ExpiringMap<string, number>(100, () => now);
    map.set('a', 1);
    now += 50;
    map.set('b', 2);
    expect([map.get('a'), map.get('b'), map.size]).toEqual([1, 2, 2]);
    now += 60; // a is 110 ms old, b 60 ms
    expect([map.has('a'), map.get('b'), map.size]).toEqual([false, 2, 1]);
    map.set('b', 3); // set again: a new time
    now += 80;
    expect(map.get('b')).toBe(3);
    expect(map.delete('b')).toBe(true);
    expect(map.size).toBe(0);
  });

  it('a long-running server remembers a bounded number of nonces', () => {
    let now = 0;
    const used = new ExpiringSet<string>(1_000, () => now);
    for (let i = 0; i < 10_000; i++) {
      used.add(`n${i}`);
      now += 1;
    }
    // Now 10 000: those added at 9 001…9 999 are younger than a second.
    expect(used.size).toBe(999);
    expect(used.has('n9999')).toBe(true);
    expect(used.has('n0')).toBe(false);
  });
});
