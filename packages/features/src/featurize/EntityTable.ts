/**
 * A bounded table of per-entity state slots: keys map to small integer slots whose data the caller keeps
 * in flat typed arrays. When the table is full, the least recently seen entities (by event time) are
 * evicted in batches of about 10 % (amortised LRU); entities idle longer than `maxAgeSeconds` are
 * evicted on sweeps. Every eviction is counted.
 *
 * @module
 */

/**
 * Bounded key → slot table with LRU-by-event-time and age eviction.
 *
 * @example
 * ```ts
 * const t = new EntityTable(1000, 86400);
 * const s = t.slot('U620', 150885); // a slot in [0, 1000)
 * t.created; // true the first time a key is seen (or after it was evicted)
 * ```
 */
export class EntityTable {
  /** Largest number of entities held. */
  readonly capacity: number;
  /** Entities idle longer than this (event-time seconds) are evicted on sweeps. */
  readonly maxAgeSeconds: number;
  /** Number of entities evicted so far. */
  evictions = 0;
  /** Whether the last {@link slot} call created the entity. */
  created = false;
  /** Last event time of each slot. */
  lastSeen: Float64Array;
  private readonly map = new Map<string, number>();
  private keys: string[] = [];
  private readonly free: number[] = [];
  private next = 0;

  /**
   * @param capacity - largest number of entities (≥ 1).
   * @param maxAgeSeconds - idle age after which sweeps evict an entity (Infinity: never by age).
   */
  constructor(capacity: number, maxAgeSeconds: number = Number.POSITIVE_INFINITY) {
    this.capacity = capacity;
    this.maxAgeSeconds = maxAgeSeconds;
    this.lastSeen = new Float64Array(Math.min(capacity, 64));
  }

  /**
   * Number of entities held.
   *
   * @example
   * ```ts
   * table.size;
   * ```
   */
  get size(): number {
    return this.map.size;
  }

  /**
   * Number of slots ever allocated (slot indices are below this); state arrays must cover it.
   *
   * @example
   * ```ts
   * if (table.slotCount > arr.length) arr = grow(arr);
   * ```
   */
  get slotCount(): number {
    return this.next;
  }

  /**
   * The slot of `key`, without touching it; -1 when absent.
   *
   * @example
   * ```ts
   * table.peek('U1'); // -1
   * ```
   */
  peek(key: string): number {
    return this.map.get(key) ?? -1;
  }

  /**
   * The slot of `key` at event time `t`, creating it (and evicting when full) if needed; sets
   * {@link created}.
   *
   * @example
   * ```ts
   * const s = table.slot('U1', 10);
   * ```
   */
  slot(key: string, t: number): number {
    const s = this.map.get(key);
    if (s !== undefined) {
      this.created = false;
      if (t > (this.lastSeen[s] as number)) this.lastSeen[s] = t;
      return s;
    }
    if (this.map.size >= this.capacity) this.evictOldest(t);
    let ns = this.free.pop();
    if (ns === undefined) {
      ns = this.next++;
      if (ns >= this.lastSeen.length) {
        const grown = new Float64Array(Math.min(this.capacity, this.lastSeen.length * 2));
        grown.set(this.lastSeen);
        this.lastSeen = grown;
      }
    }
    this.map.set(key, ns);
    this.keys[ns] = key;
    this.lastSeen[ns] = t;
    this.created = true;
    return ns;
  }

  /**
   * Evicts every entity idle for longer than `maxAgeSeconds` before `now`; returns how many.
   *
   * @example
   * ```ts
   * table.sweep(latestEventTime);
   * ```
   */
  sweep(now: number): number {
    if (!Number.isFinite(this.maxAgeSeconds)) return 0;
    return this.evictBefore(now - this.maxAgeSeconds, Number.POSITIVE_INFINITY);
  }

  /**
   * Removes every entity (not counted as evictions).
   *
   * @example
   * ```ts
   * table.clear();
   * ```
   */
  clear(): void {
    this.map.clear();
    this.keys = [];
    this.free.length = 0;
    this.next = 0;
  }

  /**
   * Entries as `[key, lastSeen]` pairs, oldest first (for serialisation).
   *
   * @example
   * ```ts
   * for (const [k, t] of table.entries()) save(k, t);
   * ```
   */
  entries(): Array<[string, number]> {
    const out: Array<[string, number]> = [];
    for (const [k, s] of this.map) out.push([k, this.lastSeen[s] as number]);
    out.sort((a, b) => a[1] - b[1]);
    return out;
  }

  private evictOldest(now: number): void {
    let n = 0;
    if (Number.isFinite(this.maxAgeSeconds)) n = this.evictBefore(now - this.maxAgeSeconds, Number.POSITIVE_INFINITY);
    if (this.map.size < this.capacity) return;
    // Amortised LRU: evict the ~10 % least recently seen entities in one pass.
    const times = new Float64Array(this.map.size);
    let i = 0;
    for (const s of this.map.values()) times[i++] = this.lastSeen[s] as number;
    times.sort();
    const k = Math.max(1, Math.floor(this.map.size / 10));
    const cut = times[k - 1] as number;
    n += this.evictBefore(cut, k, true);
    void n;
  }

  /** Evicts entities with lastSeen < cut (or ≤ cut when `inclusive`), at most `limit`. */
  private evictBefore(cut: number, limit: number, inclusive = false): number {
    let n = 0;
    for (const [key, s] of this.map) {
      if (n >= limit) break;
      const ls = this.lastSeen[s] as number;
      if (ls < cut || (inclusive && ls === cut)) {
        this.map.delete(key);
        this.keys[s] = '';
        this.free.push(s);
        n++;
      }
    }
    this.evictions += n;
    return n;
  }
}
