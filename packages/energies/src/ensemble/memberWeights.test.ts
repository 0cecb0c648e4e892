import { describe, expect, it } from 'vitest';
import { averageRanks, consensusAgreement, memberWeights, spearman, trimmedMean } from './memberWeights.js';

const f = (...v: number[]): Float64Array => Float64Array.from(v);

describe('averageRanks and spearman', () => {
  it('gives tied values the mean of their ranks', () => {
    expect(Array.from(averageRanks(f(10, 30, 20, 30, 5)))).toEqual([2, 4.5, 3, 4.5, 1]);
  });
  it('is 1 for any increasing map, −1 for a decreasing one, 0 for a constant side', () => {
    const a = f(0.1, 3, -2, 8, 5);
    expect(
      spearman(
        a,
        Float64Array.from(a, (v) => Math.exp(v)),
      ),
    ).toBeCloseTo(1, 12);
    expect(
      spearman(
        a,
        Float64Array.from(a, (v) => -v * v * v),
      ),
    ).toBeCloseTo(-1, 12);
    expect(spearman(a, f(2, 2, 2, 2, 2))).toBe(0);
  });
  it('matches the textbook value with ties (1 − 6Σd²/(n(n²−1)) without ties)', () => {
    // ranks a: 1..5, ranks b: 2,1,4,3,5 → Σd² = 4 → 1 − 24/120 = 0.8
    expect(spearman(f(1, 2, 3, 4, 5), f(20, 10, 40, 30, 50))).toBeCloseTo(0.8, 12);
  });
});

describe('consensusAgreement and memberWeights', () => {
  const n = 200;
  const base = Float64Array.from({ length: n }, (_, i) => Math.sin(i * 0.37) + i / n);
  const noisy = Float64Array.from(base, (v, i) => v + 0.3 * Math.cos(i * 1.7));
  const noisy2 = Float64Array.from(base, (v, i) => v + 0.3 * Math.sin(i * 2.9));
  const reversed = Float64Array.from(base, (v) => -v);

  it('gives a member that orders the rows against the others a negative agreement and no consensus weight', () => {
    const raw = [base, noisy, noisy2, reversed];
    const rho = consensusAgreement(raw, raw);
    for (let i = 0; i < 3; i++) expect(rho[i]).toBeGreaterThan(0.3);
    expect(rho[3]).toBeLessThan(-0.3);
    const w = memberWeights('consensus', rho);
    expect(w[3]).toBe(0);
    expect((w[0] as number) + (w[1] as number) + (w[2] as number)).toBeCloseTo(1, 12);
    const s = memberWeights('select', rho);
    expect(Array.from(s)).toEqual([1 / 3, 1 / 3, 1 / 3, 0]);
    expect(Array.from(memberWeights('equal', rho))).toEqual([0.25, 0.25, 0.25, 0.25]);
  });

  it('falls back to equal weights when no member agrees with the others', () => {
    expect(Array.from(memberWeights('consensus', f(-0.2, 0, -1)))).toEqual([1 / 3, 1 / 3, 1 / 3]);
    // select keeps the best member(s) even when every agreement is ≤ 0
    expect(Array.from(memberWeights('select', f(-0.2, 0, -1)))).toEqual([0, 1, 0]);
  });

  it('gives a single member agreement 1 and weight 1', () => {
    expect(Array.from(consensusAgreement([base], [base]))).toEqual([1]);
    expect(Array.from(memberWeights('consensus', f(1)))).toEqual([1]);
  });
});

describe('trimmedMean', () => {
  it('leaves out the largest and the smallest value', () => {
    expect(trimmedMean(f(100, 1, 2, 3, -50))).toBeCloseTo(2, 12);
    expect(trimmedMean(f(4, 4, 4))).toBe(4);
  });
  it('is the plain mean below three values', () => {
    expect(trimmedMean(f(1, 3))).toBe(2);
    expect(trimmedMean(f(7))).toBe(7);
  });
});
