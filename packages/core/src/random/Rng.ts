import seedrandom from 'seedrandom';
import { message, ParameterError } from '../errors.js';

/**
 * A seeded pseudo-random generator (seedrandom's Alea). Every random choice in the library draws from
 * one of these, so the same seed gives the same sequence, the same model and the same energies.
 *
 * @example
 * ```ts
 * const rng = new Rng(42);
 * rng.uniform();   // in [0, 1)
 * rng.normal();    // standard normal
 * rng.shuffle([1, 2, 3]);
 * ```
 */
export class Rng {
  private readonly prng: seedrandom.PRNG;
  private spare = 0;
  private hasSpare = false;

  /** @param seed - any integer or string; the same seed gives the same sequence. */
  constructor(seed: number | string = 0) {
    if (typeof seed === 'number' && !Number.isFinite(seed)) {
      throw new ParameterError(
        message('Rng', 'seed must be finite', 'a finite number or a string', String(seed)),
      );
    }
    this.prng = seedrandom.alea(String(seed));
  }

  /**
   * A uniform double in [0, 1) with 53 bits of randomness.
   *
   * @example
   * ```ts
   * new Rng(1).uniform();
   * ```
   */
  uniform(): number {
    return this.prng.double();
  }

  /**
   * A uniform double in [lo, hi).
   *
   * @example
   * ```ts
   * new Rng(1).range(-1, 1);
   * ```
   */
  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.prng.double();
  }

  /**
   * A uniform integer in [0, n).
   *
   * @example
   * ```ts
   * new Rng(1).int(10);
   * ```
   */
  int(n: number): number {
    return Math.floor(this.prng.double() * n);
  }

  /**
   * A standard normal draw (Marsaglia's polar method; the second value of each pair is kept).
   *
   * @example
   * ```ts
   * new Rng(1).normal();
   * ```
   */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u = 0;
    let v = 0;
    let s = 0;
    do {
      u = 2 * this.prng.double() - 1;
      v = 2 * this.prng.double() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    this.hasSpare = true;
    return u * f;
  }

  /**
   * Fills an array with normal draws of the given mean and standard deviation.
   *
   * @example
   * ```ts
   * new Rng(1).fillNormal(new Float64Array(4), 0, 0.1);
   * ```
   */
  fillNormal<T extends Float64Array | Float32Array>(out: T, mean = 0, std = 1): T {
    for (let i = 0; i < out.length; i++) out[i] = mean + std * this.normal();
    return out;
  }

  /**
   * Fills an array with uniform draws in [lo, hi).
   *
   * @example
   * ```ts
   * new Rng(1).fillUniform(new Float32Array(4), -1, 1);
   * ```
   */
  fillUniform<T extends Float64Array | Float32Array>(out: T, lo = 0, hi = 1): T {
    const w = hi - lo;
    for (let i = 0; i < out.length; i++) out[i] = lo + w * this.prng.double();
    return out;
  }

  /**
   * Shuffles an array in place (Fisher–Yates) and returns it.
   *
   * @example
   * ```ts
   * new Rng(1).shuffle([1, 2, 3, 4]);
   * ```
   */
  shuffle<T extends { length: number; [i: number]: unknown }>(a: T): T {
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(this.prng.double() * (i + 1));
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }

  /**
   * The integers 0…n−1 in a random order.
   *
   * @example
   * ```ts
   * new Rng(1).permutation(5); // e.g. Int32Array [3, 0, 4, 1, 2]
   * ```
   */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }

  /**
   * k distinct integers from [0, n), in random order (sampling without replacement).
   * O(k) expected time and memory for k much smaller than n, O(n) otherwise.
   *
   * @example
   * ```ts
   * new Rng(1).sample(100, 5);
   * ```
   */
  sample(n: number, k: number): Int32Array {
    if (!Number.isInteger(n) || !Number.isInteger(k) || k < 0 || k > n) {
      throw new ParameterError(
        message('Rng.sample', 'k must be an integer in [0, n]', `0 ≤ k ≤ ${n}`, String(k)),
      );
    }
    if (k * 4 >= n) return this.permutation(n).slice(0, k);
    const out = new Int32Array(k);
    const seen = new Set<number>();
    let c = 0;
    while (c < k) {
      const x = this.int(n);
      if (!seen.has(x)) {
        seen.add(x);
        out[c++] = x;
      }
    }
    return out;
  }

  /**
   * A new generator seeded from this one: for independent streams (one per worker, per restart, …).
   *
   * @example
   * ```ts
   * const child = new Rng(1).fork();
   * ```
   */
  fork(): Rng {
    return new Rng(`fork:${Math.floor(this.prng.double() * 2 ** 52)}`);
  }
}
