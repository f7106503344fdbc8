/**
 * An in-memory cache of item documents with a time-to-live and a size bound.
 * Once the cache is full, the least recently used entry makes room.
 */

export interface CacheOptions {
  /** How long an entry stays fresh, in seconds. */
  ttlSeconds: number;
  /** Most entries kept at once. */
  maxEntries: number;
  /** Clock in milliseconds; tests pass their own. */
  now?: () => number;
}

interface Entry<V> {
  value: V;
  expiresAt: number;
}

export class TtlCache<K, V> {
  private readonly entries = new Map<K, Entry<V>>();
  private readonly now: () => number;

  constructor(private readonly options: CacheOptions) {
    this.now = options.now ?? Date.now;
  }

  /** The fresh value for `key`, or undefined. */
  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    // Re-insert, so that the Map's order is least recently used first.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: K, value: V): void {
    if (!this.entries.has(key) && this.entries.size >= this.options.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, {
      value,
      expiresAt: this.now() + this.options.ttlSeconds * 1000,
    });
  }

  delete(key: K): boolean {
    return this.entries.delete(key);
  }

  /** Entries held, expired ones included until they are read or evicted. */
  get size(): number {
    return this.entries.size;
  }
}
