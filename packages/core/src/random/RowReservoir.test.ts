import { describe, expect, it } from 'vitest';
import { Matrix } from '../matrix/Matrix.js';
import { RowReservoir } from './RowReservoir.js';

/** Rows whose single value is their stream index. */
function feed(r: RowReservoir, n: number, block: number): void {
  for (let i = 0; i < n; i += block) {
    const m = Math.min(block, n - i);
    r.add(
      new Matrix(
        m,
        2,
        Float64Array.from({ length: 2 * m }, (_, k) => i + Math.floor(k / 2)),
      ),
    );
  }
}

describe('RowReservoir', () => {
  it('keeps every row, in order, when the stream is short', () => {
    const r = new RowReservoir(5000, 2, 1);
    feed(r, 3000, 77);
    expect(r.seen).toBe(3000);
    expect(Array.from(r.rowIndices())).toEqual(Array.from({ length: 3000 }, (_, i) => i));
    expect(r.sample().get(2999, 1)).toBe(2999);
  });

  it('gives the same sample for the same seed whatever the blocks, and rows match their indices', () => {
    const a = new RowReservoir(100, 2, 'x');
    const b = new RowReservoir(100, 2, 'x');
    feed(a, 10_000, 1);
    feed(b, 10_000, 999);
    expect(b.rowIndices()).toEqual(a.rowIndices());
    const s = a.sample();
    const idx = a.rowIndices();
    expect(s.rows).toBe(100);
    for (let r = 0; r < s.rows; r++) expect(s.get(r, 0)).toBe(idx[r]);
    const c = new RowReservoir(100, 2, 'y');
    feed(c, 10_000, 999);
    expect(c.rowIndices()).not.toEqual(a.rowIndices());
  });

  it('includes each row with probability capacity/n', () => {
    const n = 40;
    const k = 10;
    const hits = new Float64Array(n);
    const seeds = 3000;
    for (let s = 0; s < seeds; s++) {
      const r = new RowReservoir(k, 2, s);
      feed(r, n, 7);
      for (const i of r.rowIndices()) hits[i] = (hits[i] as number) + 1;
    }
    // Binomial(3000, 0.25): sd ≈ 23.7; 5 sd either side.
    for (const h of hits) expect(Math.abs(h - seeds * (k / n))).toBeLessThan(5 * 23.7);
  });

  it('checks its arguments', () => {
    expect(() => new RowReservoir(0, 2, 1)).toThrow(/capacity must be a positive integer/);
    expect(() => new RowReservoir(2, 1.5, 1)).toThrow(/cols must be a positive integer/);
    expect(() => new RowReservoir(2, 2, 1).add(new Matrix(1, 3))).toThrow(/wrong width/);
  });
});
