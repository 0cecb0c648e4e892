import { Matrix, Rng } from '@nexus/ebm-core';
import { IsolationNNE, KnnDensity } from '@nexus/ebm-energies';
import { describe, expect, it } from 'vitest';
import { TrimmedFit } from './trimmedFit.js';

/** n normal rows (standard normal, 2 columns) followed by `far` rows spread on a circle of radius 10. */
function contaminated(n: number, far: number, seed: number): Matrix {
  const rng = new Rng(seed);
  const data: number[] = [];
  for (let i = 0; i < n; i++) data.push(rng.normal(), rng.normal());
  for (let i = 0; i < far; i++) {
    const a = (2 * Math.PI * i) / far;
    data.push(10 * Math.cos(a), 10 * Math.sin(a));
  }
  return new Matrix(n + far, 2, Float64Array.from(data));
}

describe('TrimmedFit', () => {
  it('refits on the lowest-energy rows: scattered anomalies leave the reference and stop covering their neighbours', () => {
    const X = contaminated(300, 30, 3); // 30 of 330 rows (9 %) far out, each alone
    const make = (): KnnDensity => new KnnDensity({ k: 1, standardize: false });
    const plain = make().fit(X, { seed: 1 });
    const trimmed = new TrimmedFit(make, 0.25).fit(X, { seed: 1 });
    // a probe beside a far training row, and one in the middle of the normal rows
    const probe = new Matrix(2, 2, Float64Array.from([10, 0.1, 0, 0]));
    const [farPlain, nearPlain] = plain.energy(probe);
    const [farTrim, nearTrim] = trimmed.energy(probe);
    expect((trimmed.toJSON().state as { kept: number }).kept).toBe(248); // ⌈0.75 · 330⌉
    // untrimmed, the far row at (10, 0) is the probe's neighbour (distance 0.1); trimmed, it is gone and the
    // nearest row is a normal one ≈ 7 away: 2·log(70) ≈ 8.5 more energy. The middle barely moves.
    expect((farTrim as number) - (farPlain as number)).toBeGreaterThan(6);
    expect(Math.abs((nearTrim as number) - (nearPlain as number))).toBeLessThan(1);
  });

  it('gives the inner energy exactly with trim 0, and is deterministic for a seed', () => {
    const X = contaminated(200, 20, 5);
    const plain = new IsolationNNE().fit(X, { seed: 4 }).energy(X);
    expect(new TrimmedFit(() => new IsolationNNE(), 0).fit(X, { seed: 4 }).energy(X)).toEqual(plain);
    const a = new TrimmedFit(() => new IsolationNNE(), 0.25).fit(X, { seed: 4 }).energy(X);
    const b = new TrimmedFit(() => new IsolationNNE(), 0.25).fit(X, { seed: 4 }).energy(X);
    expect(a).toEqual(b);
    expect(a).not.toEqual(plain);
  });

  it('refuses a trim outside [0, 0.5) and a step count below 1', () => {
    expect(() => new TrimmedFit(() => new KnnDensity(), 0.5)).toThrow(/trim is out of range/);
    expect(() => new TrimmedFit(() => new KnnDensity(), 0.1, 0)).toThrow(/steps must be a positive integer/);
  });
});
