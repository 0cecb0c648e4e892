import { Matrix } from '@nexus/ebm-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CovarianceType, GaussianDensity } from './GaussianDensity.js';

const d = 3;
const rowArb = fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: d, maxLength: d });
const dataArb = fc.array(rowArb, { minLength: 2, maxLength: 40 });
const covArb = fc.constantFrom<CovarianceType>('full', 'diagonal', 'ledoit-wolf');

describe('GaussianDensity properties', () => {
  it('energy is lowest at the mean', () => {
    fc.assert(
      fc.property(dataArb, rowArb, covArb, (rows, x, covariance) => {
        const g = new GaussianDensity({ covariance, regularization: 1e-3 }).fit(rows);
        expect(g.energyOne(g.mean)).toBeLessThanOrEqual(g.energyOne(x) + 1e-9);
      }),
      { numRuns: 60, seed: 11 },
    );
  });

  it('merge and partialFit equal one fit on all the data', () => {
    fc.assert(
      fc.property(dataArb, dataArb, covArb, (a, b, covariance) => {
        const opts = { covariance, regularization: 1e-3 };
        const all = new GaussianDensity(opts).fit([...a, ...b]);
        const merged = GaussianDensity.merge(
          new GaussianDensity(opts).fit(a),
          new GaussianDensity(opts).fit(b),
        );
        const streamed = new GaussianDensity(opts).partialFit(a).partialFit(b);
        const probe = new Matrix(
          3,
          d,
          new Float64Array([0, 0, 0, 10, -10, 5, ...(all.mean as Float64Array)]),
        );
        const want = all.energy(probe);
        for (const m of [merged, streamed]) {
          expect(m.count).toBe(a.length + b.length);
          const got = m.energy(probe);
          for (let i = 0; i < want.length; i++) {
            const w = want[i] as number;
            expect(Math.abs((got[i] as number) - w)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(w)));
          }
        }
      }),
      { numRuns: 60, seed: 12 },
    );
  });
});
