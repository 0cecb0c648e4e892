import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Matrix } from '../matrix/Matrix.js';
import { loadScaler } from './loadScaler.js';
import { MinMaxScaler } from './MinMaxScaler.js';
import { RobustScaler } from './RobustScaler.js';
import type { Scaler } from './Scaler.js';
import { StandardScaler } from './StandardScaler.js';

const makers: Record<string, () => Scaler> = {
  standard: () => new StandardScaler(),
  robust: () => new RobustScaler(),
  minmax: () => new MinMaxScaler(),
};

/** A matrix of 1–12 rows × 1–5 columns; some columns are constant, values span several magnitudes. */
const matrixArb = fc
  .record({ rows: fc.integer({ min: 1, max: 12 }), cols: fc.integer({ min: 1, max: 5 }) })
  .chain(({ rows, cols }) =>
    fc
      .tuple(
        // Values with a bounded dynamic range (multiples of 1e-3): distinct values differ by far more than
        // rounding, so transforms stay finite. Subnormal spreads are covered in scalers.test.ts.
        fc.array(
          fc.integer({ min: -1e9, max: 1e9 }).map((v) => v / 1000),
          {
            minLength: rows * cols,
            maxLength: rows * cols,
          },
        ),
        fc.array(fc.boolean(), { minLength: cols, maxLength: cols }),
      )
      .map(([values, constant]) => {
        const m = new Matrix(rows, cols, Float64Array.from(values));
        for (let j = 0; j < cols; j++) {
          if (constant[j]) for (let i = 0; i < rows; i++) m.set(i, j, m.get(0, j));
        }
        return m;
      }),
  );

describe.each(Object.keys(makers))('%s scaler properties', (type) => {
  const make = makers[type] as () => Scaler;

  it('round-trips: inverseTransform(transform(X)) ≈ X, with finite output and positive scales', () => {
    fc.assert(
      fc.property(matrixArb, (x) => {
        const s = make().fit(x);
        const z = s.transform(x);
        for (const v of z.data) expect(Number.isFinite(v)).toBe(true);
        const back = s.inverseTransform(z);
        const json = s.toJSON();
        for (const sc of json.scale) expect(sc).toBeGreaterThan(0);
        for (let k = 0; k < x.data.length; k++) {
          const j = k % x.cols;
          const tol =
            1e-12 *
            (Math.abs(json.center[j] as number) +
              (json.scale[j] as number) * (1 + Math.abs(z.data[k] as number)));
          expect(Math.abs((back.data[k] as number) - (x.data[k] as number))).toBeLessThanOrEqual(tol);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('serialises losslessly: loadScaler(JSON) transforms identically', () => {
    fc.assert(
      fc.property(matrixArb, (x) => {
        const s = make().fit(x);
        const loaded = loadScaler(JSON.parse(JSON.stringify(s.toJSON())));
        // JSON has no −0: compare with signed zeros folded (−0 + 0 = 0).
        const fold = (m: Matrix) => Array.from(m.data, (v) => v + 0);
        expect(fold(loaded.transform(x))).toEqual(fold(s.transform(x)));
      }),
      { numRuns: 60 },
    );
  });

  it('is affine-equivariant: scaling data by a > 0 and shifting by b leaves the transform unchanged', () => {
    fc.assert(
      fc.property(matrixArb, fc.constantFrom(0.5, 2, 8), fc.constantFrom(-3, 0, 100), (raw, a, b) => {
        // Integer data so that a·x + b is exact (shifting subnormal spreads would legitimately erase them).
        const x = new Matrix(
          raw.rows,
          raw.cols,
          raw.data.map((v) => Math.round(v)),
        );
        const y = new Matrix(
          x.rows,
          x.cols,
          x.data.map((v) => a * v + b),
        );
        const sx = make().fit(x);
        const sy = make().fit(y);
        const zx = sx.transform(x);
        const zy = sy.transform(y);
        const scx = sx.toJSON().scale;
        const scy = sy.toJSON().scale;
        for (let k = 0; k < zx.data.length; k++) {
          const j = k % x.cols;
          const degenerate =
            Math.abs((scy[j] as number) - a * (scx[j] as number)) > 1e-9 * (scy[j] as number);
          // A degenerate column (scale 1 in both fits) is only centred, so its transform scales by a.
          if (degenerate) expect([scx[j], scy[j]]).toEqual([1, 1]);
          const want = degenerate ? a * (zx.data[k] as number) : (zx.data[k] as number);
          expect(Math.abs((zy.data[k] as number) - want)).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(want)));
        }
      }),
      { numRuns: 60 },
    );
  });
});
