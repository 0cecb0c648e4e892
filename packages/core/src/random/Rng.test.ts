import { describe, expect, it } from 'vitest';
import { Rng } from './Rng.js';

describe('Rng', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    const c = new Rng(8);
    const sa = Array.from({ length: 5 }, () => a.uniform());
    const sb = Array.from({ length: 5 }, () => b.uniform());
    const sc = Array.from({ length: 5 }, () => c.uniform());
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
  });

  it('pins exact outputs so that a change of generator is noticed', () => {
    const r = new Rng(42);
    const got = [r.uniform(), r.uniform(), r.int(1000), r.normal()].map((v) => Number(v.toFixed(12)));
    expect(got).toMatchInlineSnapshot(`
      [
        0.684863496466,
        0.845593318622,
        563,
        -0.657493970578,
      ]
    `);
  });

  it('shuffles into a permutation and samples without replacement', () => {
    const r = new Rng(1);
    const p = Array.from(r.permutation(50)).sort((x, y) => x - y);
    expect(p).toEqual(Array.from({ length: 50 }, (_, i) => i));
    for (const [n, k] of [
      [1000, 10],
      [10, 10],
      [10, 0],
    ] as const) {
      const s = r.sample(n, k);
      expect(new Set(s).size).toBe(k);
      for (const v of s) expect(v >= 0 && v < n).toBe(true);
    }
    expect(() => r.sample(3, 4)).toThrow(RangeError);
  });

  it('draws normals with mean ≈ 0 and variance ≈ 1', () => {
    const r = new Rng(3);
    const n = 20000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const v = r.normal();
      s += v;
      s2 += v * v;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.03);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.05);
  });
});
