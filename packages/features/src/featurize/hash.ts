/**
 * Seeded string hashing (MurmurHash3-style mixing over UTF-16 code units): 32-bit hashes for the hashing
 * trick, and 64-bit keys (two independent 32-bit halves in one pass) for the per-entity state tables, so
 * hot loops look entities up by numbers instead of strings.
 *
 * @module
 */

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/**
 * A seeded 32-bit unsigned hash of a string. The same string and seed always give the same value.
 *
 * @example
 * ```ts
 * hashString('C1003', 42) % 16; // bucket in [0, 16)
 * ```
 */
export function hashString(s: string, seed: number): number {
  let h = seed | 0;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    let k = Math.imul(s.charCodeAt(i), 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  return fmix(h ^ n) >>> 0;
}

/**
 * A 64-bit key of a string as two 32-bit halves, computed in one pass; written to `out[0]`, `out[1]`.
 *
 * @example
 * ```ts
 * const k = new Int32Array(2);
 * hash64('U620', k); // k[0], k[1]
 * ```
 */
export function hash64(s: string, out: Int32Array): void {
  let a = 0x2545f491;
  let b = 0x6a09e667;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    let k = Math.imul(c, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    a ^= Math.imul(k, 0x1b873593);
    a = (a << 13) | (a >>> 19);
    a = (Math.imul(a, 5) + 0xe6546b64) | 0;
    b = Math.imul(b ^ c, 0x01000193);
  }
  out[0] = fmix(a ^ n);
  out[1] = fmix(b ^ Math.imul(n, 0x27d4eb2d));
}

/**
 * Combines two 64-bit keys into the (ordered) key of the pair a → b.
 *
 * @example
 * ```ts
 * pairKey(ua, ub, va, vb, out); // out[0], out[1]
 * ```
 */
export function pairKey(a1: number, a2: number, b1: number, b2: number, out: Int32Array): void {
  out[0] = fmix(Math.imul(a1, 0x9e3779b1) ^ b1 ^ 0x7f4a7c15);
  out[1] = fmix((Math.imul(a2, 0x85ebca77) + Math.imul(b2, 0xc2b2ae3d)) ^ 0x165667b1);
}
