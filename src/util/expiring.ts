/**
 * A map whose entries are forgotten `ttlMs` after they were set, so a long-running server (`serve tool` under load)
 * keeps what it must remember — login states, used nonces — for as long as they matter, not forever. Entries are
 * kept in the order they were set (a Map's), so forgetting reads only the expired ones at the front.
 */
export class ExpiringMap<K, V> {
  private readonly entries = new Map<K, { value: V; at: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  private prune(): void {
    const cutoff = this.now() - this.ttlMs;
    for (const [key, entry] of this.entries) {
      if (entry.at > cutoff) break;
      this.entries.delete(key);
    }
  }

  set(key: K, value: V): this {
    this.prune();
    // Set again, it moves to the back: its time is new.
    this.entries.delete(key);
    this.entries.set(key, { value, at: this.now() });
    return this;
  }

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    return entry && entry.at > this.now() - this.ttlMs ? entry.value : undefined;
  }

  has(key: K): boolean {
    return this.get(key) !== undefined;
  }

  delete(key: K): boolean {
    return this.entries.delete(key);
  }

  get size(): number {
    this.prune();
    return this.entries.size;
  }
}

/** The set of that map: `add` and `has`, each member forgotten `ttlMs` after it was added. */
export class ExpiringSet<T> {
  private readonly map: ExpiringMap<T, true>;

  constructor(ttlMs: number, now?: () => number) {
    this.map = new ExpiringMap(ttlMs, now);
  }

  add(value: T): this {
    this.map.set(value, true);
    return this;
  }

  has(value: T): boolean {
    return this.map.has(value);
  }

  get size(): number {
    return this.map.size;
  }
}
