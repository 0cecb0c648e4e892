import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Matrix } from '../matrix/Matrix.js';
import { Rng } from '../random/Rng.js';
import { choleskyFactor } from './choleskyFactor.js';
import { choleskySolve } from './choleskySolve.js';
import { logDet } from './logDet.js';
import { matmul } from './matmul.js';

function random(rng: Rng, rows: number, cols: number): Matrix {
  const out = new Matrix(rows, cols);
  for (let i = 0; i < out.data.length; i++) out.data[i] = rng.range(-1, 1);
  return out;
}

describe('linalg properties', () => {
  it('matmul agrees with explicit transposes: (A·B)ᵀ = Bᵀ·Aᵀ', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 0, max: 1e6 }),
        (r, k, c, seed) => {
          const rng = new Rng(seed);
          const a = random(rng, r, k);
          const b = random(rng, k, c);
          const ab = matmul(a, b);
          const btat = matmul(b, a, { transA: true, transB: true });
          const viaT = matmul(a.transpose(), b.transpose(), { transA: true, transB: true });
          for (let i = 0; i < r; i++) {
            for (let j = 0; j < c; j++) {
              expect(btat.get(j, i)).toBeCloseTo(ab.get(i, j), 12);
              expect(viaT.get(i, j)).toBeCloseTo(ab.get(i, j), 12);
            }
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('choleskySolve inverts A = B·Bᵀ + I, and logDet(A) = log det via the factor of A⁻¹ (logDet(A⁻¹) = −logDet(A))', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 1e6 }), (n, seed) => {
        const rng = new Rng(seed);
        const b = random(rng, n, n);
        const a = matmul(b, b, { transB: true });
        for (let i = 0; i < n; i++) a.data[i * n + i] = (a.data[i * n + i] as number) + 1;
        const l = choleskyFactor(a);
        const inv = choleskySolve(l, Matrix.identity(n));
        const eye = matmul(a, inv);
        for (let i = 0; i < n; i++)
          for (let j = 0; j < n; j++) expect(eye.get(i, j)).toBeCloseTo(i === j ? 1 : 0, 9);
        // Symmetrise the computed inverse (it is symmetric up to rounding) before factoring it.
        const sym = matmul(inv, Matrix.identity(n));
        for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) sym.set(j, i, sym.get(i, j));
        expect(logDet(sym)).toBeCloseTo(-logDet(a), 8);
      }),
      { numRuns: 80 },
    );
  });
});
