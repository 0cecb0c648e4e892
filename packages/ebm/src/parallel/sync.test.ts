import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Barrier, partOf, reduceRange } from './sync.js';
import { CTRL } from './trainProtocol.js';

describe('partOf', () => {
  it('property: the parts of k workers tile [0, n) in order, sizes differing by at most one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 0, max: 10_000 }), (k, n) => {
        let next = 0;
        const sizes: number[] = [];
        for (let w = 0; w < k; w++) {
          const [s, e] = partOf(w, k, n);
          expect(s).toBe(next);
          sizes.push(e - s);
          next = e;
        }
        expect(next).toBe(n);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe('reduceRange', () => {
  /** The reference: for each element, 0 + Σ_w (weight · slot) in worker order in Float64, then Float32. */
  function reference(slots: Float32Array[], weights: Float64Array): Float32Array {
    const np = (slots[0] as Float32Array).length;
    const out = new Float32Array(np);
    for (let i = 0; i < np; i++) {
      let g = 0;
      for (let w = 0; w < slots.length; w++) {
        const wt = weights[w] as number;
        if (wt !== 0) g += wt * ((slots[w] as Float32Array)[i] as number);
      }
      out[i] = g;
    }
    return out;
  }

  it('property: any split of the range into worker parts gives the bits of the whole reduction', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer(),
        (k, np, rows, parts, seed) => {
          let x = seed >>> 0;
          const rand = (): number => {
            x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
            return x / 2 ** 32 - 0.5;
          };
          const slots = Array.from({ length: k }, () => Float32Array.from({ length: np }, rand));
          const weights = Float64Array.from({ length: k }, (_, w) => {
            const [s, e] = partOf(w, k, rows);
            return (e - s) / rows;
          });
          const want = reference(slots, weights);
          const got = new Float32Array(np);
          for (let p = 0; p < parts; p++) {
            const [pa, pb] = partOf(p, parts, np);
            const out = new Float32Array(pb - pa);
            reduceRange(slots, weights, pa, pb - pa, new Float64Array(pb - pa), out);
            got.set(out, pa);
          }
          expect(Array.from(got)).toEqual(Array.from(want));
        },
      ),
    );
  });
});

describe('Barrier', () => {
  it('completes when every party arrived, and returns false for good once stopped', () => {
    const ctrl = new Int32Array(new SharedArrayBuffer(CTRL.LEN * 4));
    const solo = new Barrier(ctrl, 1);
    expect(solo.wait()).toBe(true);
    expect(solo.wait()).toBe(true);
    expect(Atomics.load(ctrl, CTRL.ARRIVE)).toBe(2);
    solo.stop();
    expect(solo.wait()).toBe(false);
    // a party of two whose partner never comes: released by stop, not left waiting
    const ctrl2 = new Int32Array(new SharedArrayBuffer(CTRL.LEN * 4));
    const pair = new Barrier(ctrl2, 2);
    Atomics.store(ctrl2, CTRL.STOP, 1);
    expect(pair.wait()).toBe(false);
  });
});
