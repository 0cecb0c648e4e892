/**
 * A bounded table of per-entity state slots keyed by 64-bit hashes (two int32 halves), in flat typed
 * arrays (open addressing, linear probing, backward-shift deletion): no string hashing or allocation per
 * lookup. Keys map to small integer slots whose data the caller keeps in its own typed arrays. When the
 * table is full, the least recently seen entities (by event time) are evicted in batches of about 10 %
 * (amortised LRU); entities idle longer than `maxAgeSeconds` are evicted on sweeps. Evictions are counted.
 *
 * @module
 */
import { hash64 } from './hash.js';

function home(k1: number, mask: number): number {
  return (Math.imul(k1, 0x9e3779b1) >>> 7) & mask;
}

/**
 * Bounded 64-bit-key → slot table with LRU-by-event-time and age eviction.
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
  /** Whether the last {@link slot} / {@link slotOf} call created the entity. */
  created = false;
  /** Last event time of each slot. */
  lastSeen: Float64Array<ArrayBuffer>;
  private k1: Int32Array<ArrayBuffer>;
  private k2: Int32Array<ArrayBuffer>;
  /** Open-addressing index: slot + 1 at each position, 0 = empty. */
  private index: Int32Array<ArrayBuffer>;
  private mask: number;
  private count = 0;
  private next = 0;
  private free: number[] = [];
  private readonly tmp = new Int32Array(2);

  /**
   * @param capacity - largest number of entities (≥ 1).
   * @param maxAgeSeconds - idle age after which sweeps evict an entity (Infinity: never by age).
   */
  constructor(capacity: number, maxAgeSeconds: number = Number.POSITIVE_INFINITY) {
    this.capacity = capacity;
    this.maxAgeSeconds = maxAgeSeconds;
    const n = Math.min(capacity, 64);
    this.lastSeen = new Float64Array(n);
    this.k1 = new Int32Array(n);
    this.k2 = new Int32Array(n);
    this.index = new Int32Array(128);
    this.mask = 127;
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
    return this.count;
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
   * The slot of a string key at event time `t`, creating it if needed (see {@link slotOf}).
   *
   * @example
   * ```ts
   * const s = table.slot('U1', 10);
   * ```
   */
  slot(key: string, t: number): number {
    hash64(key, this.tmp);
    return this.slotOf(this.tmp[0] as number, this.tmp[1] as number, t);
  }

  /**
   * The slot of a string key without touching it; -1 when absent.
   *
   * @example
   * ```ts
   * table.peek('U1'); // -1
   * ```
   */
  peek(key: string): number {
    hash64(key, this.tmp);
    return this.peekOf(this.tmp[0] as number, this.tmp[1] as number);
  }

  /**
   * The slot of the 64-bit key (k1, k2) without touching it; -1 when absent.
   *
   * @example
   * ```ts
   * table.peekOf(k[0], k[1]);
   * ```
   */
  peekOf(k1: number, k2: number): number {
    const idx = this.index;
    const mask = this.mask;
    let p = home(k1, mask);
    for (;;) {
      const e = idx[p] as number;
      if (e === 0) return -1;
      const s = e - 1;
      if (this.k1[s] === k1 && this.k2[s] === k2) return s;
      p = (p + 1) & mask;
    }
  }

  /**
   * The slot of the 64-bit key (k1, k2) at event time `t`, creating it (and evicting when full) if
   * needed; sets {@link created}.
   *
   * @example
   * ```ts
   * const s = table.slotOf(k[0], k[1], 10);
   * ```
   */
  slotOf(k1: number, k2: number, t: number): number {
    const idx = this.index;
    const mask = this.mask;
    let p = home(k1, mask);
    for (;;) {
      const e = idx[p] as number;
      if (e === 0) break;
      const s = e - 1;
      if (this.k1[s] === k1 && this.k2[s] === k2) {
        this.created = false;
        if (t > (this.lastSeen[s] as number)) this.lastSeen[s] = t;
        return s;
      }
      p = (p + 1) & mask;
    }
    this.created = true;
    if (this.count >= this.capacity) {
      this.evictOldest(t);
      return this.insert(k1, k2, t);
    }
    if ((this.count + 1) * 2 > idx.length) return this.insert(k1, k2, t);
    return this.place(p, k1, k2, t);
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
    return this.evictWhere(now - this.maxAgeSeconds, false, Number.POSITIVE_INFINITY);
  }

  /**
   * Entries as `[k1, k2, lastSeen]`, oldest first (for serialisation).
   *
   * @example
   * ```ts
   * for (const [a, b, t] of table.entries()) save(a, b, t);
   * ```
   */
  entries(): Array<[number, number, number]> {
    const out: Array<[number, number, number]> = [];
    const idx = this.index;
    for (let p = 0; p < idx.length; p++) {
      const e = idx[p] as number;
      if (e !== 0)
        out.push([this.k1[e - 1] as number, this.k2[e - 1] as number, this.lastSeen[e - 1] as number]);
    }
    out.sort((a, b) => a[2] - b[2] || a[0] - b[0] || a[1] - b[1]);
    return out;
  }

  /**
   * Calls `fn(k1, k2, slot)` for every entity.
   *
   * @example
   * ```ts
   * table.each((k1, k2, slot) => save(k1, k2, counts[slot]));
   * ```
   */
  each(fn: (k1: number, k2: number, slot: number) => void): void {
    const idx = this.index;
    for (let p = 0; p < idx.length; p++) {
      const e = idx[p] as number;
      if (e !== 0) fn(this.k1[e - 1] as number, this.k2[e - 1] as number, e - 1);
    }
  }

  /** Inserts a key known to be absent (probing again: the index may have changed). */
  private insert(k1: number, k2: number, t: number): number {
    if ((this.count + 1) * 2 > this.index.length) this.rehash(this.index.length * 2);
    const mask = this.mask;
    let p = home(k1, mask);
    while (this.index[p] !== 0) p = (p + 1) & mask;
    return this.place(p, k1, k2, t);
  }

  private place(p: number, k1: number, k2: number, t: number): number {
    let s = this.free.pop();
    if (s === undefined) {
      s = this.next++;
      if (s >= this.k1.length) {
        const n = Math.min(this.capacity, this.k1.length * 2);
        const l = new Float64Array(n);
        l.set(this.lastSeen);
        this.lastSeen = l;
        const a = new Int32Array(n);
        a.set(this.k1);
        this.k1 = a;
        const b = new Int32Array(n);
        b.set(this.k2);
        this.k2 = b;
      }
    }
    this.k1[s] = k1;
    this.k2[s] = k2;
    this.lastSeen[s] = t;
    this.index[p] = s + 1;
    this.count++;
    return s;
  }

  private rehash(size: number): void {
    const old = this.index;
    const idx = new Int32Array(size);
    const mask = size - 1;
    for (let q = 0; q < old.length; q++) {
      const e = old[q] as number;
      if (e === 0) continue;
      let p = home(this.k1[e - 1] as number, mask);
      while (idx[p] !== 0) p = (p + 1) & mask;
      idx[p] = e;
    }
    this.index = idx;
    this.mask = mask;
  }

  /** Removes the entry at index position p (backward-shift deletion). */
  private removeAt(p: number): void {
    const idx = this.index;
    const mask = this.mask;
    const s = (idx[p] as number) - 1;
    let i = p;
    let j = p;
    for (;;) {
      j = (j + 1) & mask;
      const e = idx[j] as number;
      if (e === 0) break;
      const h = home(this.k1[e - 1] as number, mask);
      const stays = i <= j ? i < h && h <= j : i < h || h <= j;
      if (!stays) {
        idx[i] = e;
        i = j;
      }
    }
    idx[i] = 0;
    this.free.push(s);
    this.count--;
  }

  private evictOldest(now: number): void {
    if (Number.isFinite(this.maxAgeSeconds))
      this.evictWhere(now - this.maxAgeSeconds, false, Number.POSITIVE_INFINITY);
    if (this.count < this.capacity) return;
    // Amortised LRU: evict the ~10 % least recently seen entities in one pass.
    const times = new Float64Array(this.count);
    let i = 0;
    const idx = this.index;
    for (let p = 0; p < idx.length; p++) {
      const e = idx[p] as number;
      if (e !== 0) times[i++] = this.lastSeen[e - 1] as number;
    }
    times.sort();
    const k = Math.max(1, Math.floor(this.count / 10));
    this.evictWhere(times[k - 1] as number, true, k);
  }

  /** Evicts entities with lastSeen < cut (≤ cut when `inclusive`), at most `limit`; returns how many. */
  private evictWhere(cut: number, inclusive: boolean, limit: number): number {
    let n = 0;
    const idx = this.index;
    let p = 0;
    while (p < idx.length && n < limit) {
      const e = idx[p] as number;
      if (e !== 0) {
        const ls = this.lastSeen[e - 1] as number;
        if (ls < cut || (inclusive && ls === cut)) {
          this.removeAt(p);
          n++;
          // Backward shift may have moved another entry into p: look at p again.
          continue;
        }
      }
      p++;
    }
    this.evictions += n;
    return n;
  }
}
