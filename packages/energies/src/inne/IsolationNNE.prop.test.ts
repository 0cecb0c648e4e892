import { Matrix, Rng } from '@nexus/ebm-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IsolationNNE } from './IsolationNNE.js';

/**
 * iNNE written straight from its definition, for tiny problems: the sub-samples are the fit's draws (t times
 * `sample(n, ψ)` from the fit's seed, in row order); τ(c) = distance to the nearest other row of the
 * sub-sample (first in row order on ties), a row's score in a sub-sample is that of the covering ball of
 * least radius (first on ties), 1 − τ(η)/τ(c) (0 when τ(c) = 0), or 1 when uncovered; the energy is the
 * mean over sub-samples.
 */
function naiveInne(
  rows: number[][],
  queries: number[][],
  t: number,
  psiMax: number,
  seed: number,
  squared = false,
): number[] {
  const n = rows.length;
  const psi = Math.min(psiMax, n);
  const rng = new Rng(seed);
  const dist = (a: number[], b: number[]): number =>
    Math.sqrt(a.reduce((s, v, j) => s + (v - (b[j] as number)) ** 2, 0));
  const totals = queries.map(() => 0);
  for (let s = 0; s < t; s++) {
    const sub = Array.from(rng.sample(n, psi))
      .sort((a, b) => a - b)
      .map((i) => rows[i] as number[]);
    const tau: number[] = [];
    const eta: number[] = [];
    sub.forEach((c, a) => {
      let best = Number.POSITIVE_INFINITY;
      let who = -1;
      sub.forEach((o, b) => {
        if (b !== a && dist(c, o) < best) {
          best = dist(c, o);
          who = b;
        }
      });
      tau.push(best);
      eta.push(who);
    });
    queries.forEach((x, i) => {
      let cnn = -1;
      sub.forEach((c, a) => {
        if (dist(x, c) <= (tau[a] as number) && (cnn < 0 || (tau[a] as number) < (tau[cnn] as number)))
          cnn = a;
      });
      let score = 1;
      if (cnn >= 0) {
        const r = tau[cnn] as number;
        const q = (tau[eta[cnn] as number] as number) / r;
        score = r === 0 ? 0 : 1 - (squared ? q * q : q);
      }
      totals[i] = (totals[i] as number) + score;
    });
  }
  return totals.map((v) => v / t);
}

/** Small integer coordinates: ties of distance and duplicated rows are common. */
const grid = fc.integer({ min: -3, max: 3 });

describe('IsolationNNE (properties)', () => {
  it('equals a naive implementation of the definition on tiny integer problems (ties, duplicates)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }).chain((d) =>
          fc.record({
            rows: fc.array(fc.array(grid, { minLength: d, maxLength: d }), { minLength: 2, maxLength: 9 }),
            extra: fc.array(fc.array(grid, { minLength: d, maxLength: d }), { minLength: 1, maxLength: 6 }),
            t: fc.integer({ min: 1, max: 6 }),
            psi: fc.integer({ min: 2, max: 7 }),
            seed: fc.integer({ min: 0, max: 1000 }),
            squared: fc.boolean(),
          }),
        ),
        ({ rows, extra, t, psi, seed, squared }) => {
          const model = new IsolationNNE({
            subsamples: t,
            subsampleSize: psi,
            standardize: false,
            ratio: squared ? 'squared' : 'radius',
          }).fit(rows, {
            seed,
          });
          // the training rows themselves lie on ball boundaries (a centre's neighbour is on its sphere)
          const queries = [...rows, ...extra];
          const got = Array.from(model.energy(queries));
          const want = naiveInne(rows, queries, t, psi, seed, squared);
          expect(got.length).toBe(want.length);
          got.forEach((v, i) => {
            expect(v).toBeCloseTo(want[i] as number, 12);
          });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('standardises with the training mean and population standard deviation', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: 2, maxLength: 2 }), {
          minLength: 3,
          maxLength: 12,
        }),
        fc.integer({ min: 0, max: 1000 }),
        (rows, seed) => {
          const X = new Matrix(rows.length, 2, Float64Array.from(rows.flat()));
          const stats = [0, 1].map((j) => {
            const col = rows.map((r) => r[j] as number);
            const mu = col.reduce((a, b) => a + b, 0) / col.length;
            const sd = Math.sqrt(col.reduce((a, b) => a + (b - mu) ** 2, 0) / col.length);
            return { mu, sd };
          });
          fc.pre(stats.every((s) => s.sd > 1e-3 * (1 + Math.abs(s.mu))));
          const z = rows.map((r) =>
            r.map((v, j) => (v - (stats[j]?.mu as number)) / (stats[j]?.sd as number)),
          );
          const queries = [...rows, [0, 0], [10, -10]];
          const zq = queries.map((r) =>
            r.map((v, j) => (v - (stats[j]?.mu as number)) / (stats[j]?.sd as number)),
          );
          const got = Array.from(
            new IsolationNNE({ subsamples: 5, subsampleSize: 4 }).fit(X, { seed }).energy(queries),
          );
          const want = naiveInne(z, zq, 5, 4, seed, true); // the default ratio: squared radii
          // continuous values: a row on a ball's boundary may fall either side after rounding; compare the rest
          got.forEach((v, i) => {
            if (i >= rows.length) expect(v).toBeCloseTo(want[i] as number, 9);
          });
        },
      ),
      { numRuns: 40 },
    );
  });
});
