import fc from 'fast-check';
import { Matrix as MlMatrix } from 'ml-matrix';
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { toMatrix } from './toMatrix.js';

const nestedArb = fc
  .record({ rows: fc.integer({ min: 1, max: 6 }), cols: fc.integer({ min: 1, max: 6 }) })
  .chain(({ rows, cols }) =>
    fc.array(
      fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: cols, maxLength: cols }),
      {
        minLength: rows,
        maxLength: rows,
      },
    ),
  );

describe('toMatrix properties', () => {
  it('gives the same matrix from nested arrays, flat data with a shape, ndarray views and ml-matrix', () => {
    fc.assert(
      fc.property(nestedArb, (rows) => {
        const m = toMatrix(rows);
        expect(m.toArray()).toEqual(rows);
        expect(toMatrix({ data: m.data, shape: [m.rows, m.cols] }).data).toEqual(m.data);
        expect(toMatrix(ndarray(Float64Array.from(m.data), [m.rows, m.cols])).data).toEqual(m.data);
        // A column-major buffer seen through a transposed ndarray view.
        const t = m.transpose();
        expect(toMatrix(ndarray(t.data, [m.cols, m.rows]).transpose(1, 0)).data).toEqual(m.data);
        expect(toMatrix(new MlMatrix(rows)).data).toEqual(m.data);
      }),
      { numRuns: 100 },
    );
  });

  it('reports the first non-finite cell in row-major order', () => {
    fc.assert(
      fc.property(
        nestedArb,
        fc.nat(),
        fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
        (rows, pick, bad) => {
          const cols = (rows[0] as number[]).length;
          const k = pick % (rows.length * cols);
          const i = Math.floor(k / cols);
          const j = k % cols;
          const copy = rows.map((r) => r.slice());
          (copy[i] as number[])[j] = bad;
          expect(() => toMatrix(copy)).toThrow(`row ${i}, column ${j}`);
        },
      ),
      { numRuns: 100 },
    );
  });
});
