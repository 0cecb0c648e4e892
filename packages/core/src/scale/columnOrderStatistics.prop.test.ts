import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Matrix } from '../matrix/Matrix.js';
import { matrixRows } from '../matrix/RowSource.js';
import { columnOrderStatistics } from './columnOrderStatistics.js';
import { RobustScaler } from './RobustScaler.js';

/** Column j sorted (as a Float64Array sorts: −0 before +0). */
function sortedColumn(m: Matrix, j: number): Float64Array {
  const c = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) c[i] = m.get(i, j);
  return c.sort();
}

/** Checks every rank of every column against a sort, reading in blocks of `block` rows. */
function expectExact(m: Matrix, block: number, maxValues?: number, every = 1): number {
  const all = Array.from({ length: m.rows }, (_, k) => k).filter((k) => k % every === 0 || k === m.rows - 1);
  const { values, passes } = columnOrderStatistics(matrixRows(m, block), () => all, 'test', maxValues);
  for (let j = 0; j < m.cols; j++) {
    const s = sortedColumn(m, j);
    all.forEach((k, r) => {
      expect(Object.is(values[j * all.length + r], s[k])).toBe(true);
    });
  }
  return passes;
}

const value = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, 1, -1, 0.5, 1e-300, -1e300, 5e-324),
  fc.integer({ min: -3, max: 3 }),
);

describe('columnOrderStatistics', () => {
  it('equals a sort at every rank, for any values and block size', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 50 }),
        fc.array(value, { minLength: 120, maxLength: 120 }),
        (rows, cols, block, pool) => {
          const m = new Matrix(
            rows,
            cols,
            Float64Array.from({ length: rows * cols }, (_, k) => pool[k % 120] as number),
          );
          expectExact(m, block);
          expectExact(m, block, 2);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('narrows crowded bins over several passes (one binade, a near-atom, an atom)', () => {
    const n = 12_000;
    const m = new Matrix(n, 3);
    for (let i = 0; i < n; i++) {
      const u = ((i * 7919) % n) / n;
      m.set(i, 0, 1 + u); // all in [1, 2): one top bin, spread below it
      m.set(i, 1, 1 + u * 2 ** -40); // differ only in the last mantissa bits
      m.set(i, 2, i % 1000 === 0 ? -2 : 1); // an atom with a few others
    }
    expect(expectExact(m, 997, undefined, 101)).toBe(2); // collected at once
    expect(expectExact(m, 997, 64, 101)).toBeGreaterThanOrEqual(5); // narrowed bit by bit
  });

  it('refuses non-finite values (naming the row) and rows that change between passes', () => {
    const bad = new Matrix(3, 1, new Float64Array([1, Number.NaN, 2]));
    expect(() => columnOrderStatistics(matrixRows(bad), () => [0], 'api')).toThrow(/row 1, column 0/);
    let pass = 0;
    const n = 9000;
    const changing = {
      cols: 1,
      *blocks(): Iterable<Matrix> {
        pass++;
        yield new Matrix(
          n,
          1,
          Float64Array.from({ length: n }, (_, i) => 1 + i / n + (pass > 1 ? 0.5 : 0)),
        );
      },
    };
    expect(() => columnOrderStatistics(changing, () => [0], 'api')).toThrow(/changed between passes/);
    expect(() => columnOrderStatistics(matrixRows(bad.selectRows([0])), () => [1], 'api')).toThrow(
      /out of range/,
    );
  });
});

describe('RobustScaler.fitStream', () => {
  it('equals fit on the same rows, bit for bit, whatever the block size', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 40 }),
        fc.array(
          fc.integer({ min: -1e6, max: 1e6 }).map((v) => v / 64),
          { minLength: 120, maxLength: 120 },
        ),
        (rows, cols, block, pool) => {
          const m = new Matrix(
            rows,
            cols,
            Float64Array.from({ length: rows * cols }, (_, k) => pool[(k * 7) % 120] as number),
          );
          const a = new RobustScaler({ quantileRange: [10, 80] }).fit(m).toJSON();
          const b = new RobustScaler({ quantileRange: [10, 80] }).fitStream(matrixRows(m, block)).toJSON();
          expect(b).toEqual(a);
        },
      ),
      { numRuns: 60 },
    );
  });
});
