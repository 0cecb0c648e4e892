import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HistogramDensity } from './HistogramDensity.js';

const d = 2;
const valueArb = fc.double({ min: -1e6, max: 1e6, noNaN: true });
const rowArb = fc.array(valueArb, { minLength: d, maxLength: d });
const dataArb = fc.array(rowArb, { minLength: 1, maxLength: 40 });

/** The energy by its definition, written independently: count the rows in the probe's bin directly. */
function bruteForce(rows: number[][], bins: number, alpha: number, x: number[]): number {
  let e = 0;
  for (let j = 0; j < d; j++) {
    const col = rows.map((r) => r[j] as number);
    let lo = Math.min(...col);
    const hi = Math.max(...col);
    let w = (hi - lo) / bins;
    if (!(w >= 2.2250738585072014e-308) || lo + w === lo) {
      lo -= 0.5;
      w = 1 / bins;
    }
    const binOf = (v: number): number => Math.max(0, Math.min(bins - 1, Math.floor((v - lo) / w)));
    const v = x[j] as number;
    const t = (v - lo) / w;
    const b = binOf(v);
    const c = col.filter((u) => binOf(u) === b).length;
    const inside = -Math.log((c + alpha) / ((rows.length + alpha * bins) * w));
    e += inside + Math.min(1e100, t < 0 ? -t : t > bins ? t - bins : 0);
  }
  return e;
}

describe('HistogramDensity properties', () => {
  it('equals the definition computed by brute force', () => {
    fc.assert(
      fc.property(
        dataArb,
        rowArb,
        fc.integer({ min: 2, max: 30 }),
        fc.double({ min: 0.01, max: 5, noNaN: true }),
        (rows, x, bins, alpha) => {
          const h = new HistogramDensity({ bins, smoothing: alpha }).fit(rows);
          for (const probe of [x, ...rows.slice(0, 5)]) {
            const want = bruteForce(rows, bins, alpha, probe);
            expect(Math.abs(h.energyOne(probe) - want)).toBeLessThanOrEqual(
              1e-9 * Math.max(1, Math.abs(want)),
            );
          }
        },
      ),
      { numRuns: 120, seed: 31 },
    );
  });

  it('gives finite energies, independent of the batch a row is scored in', () => {
    fc.assert(
      fc.property(dataArb, fc.array(rowArb, { minLength: 1, maxLength: 10 }), (rows, probes) => {
        const h = new HistogramDensity({ bins: 'auto' }).fit(rows);
        const batch = h.energy(probes);
        probes.forEach((p, i) => {
          expect(Number.isFinite(batch[i] as number)).toBe(true);
          expect(h.energyOne(p)).toBe(batch[i]);
        });
      }),
      { numRuns: 80, seed: 32 },
    );
  });
});
