import { describe, expect, it } from 'vitest';
import { ParameterError, ShapeError, ValueError } from '../errors.js';
import { Rng } from '../random/Rng.js';
import { kMeans } from './kMeans.js';

function blobs(seed: number): { X: number[][]; truth: number[] } {
  const rng = new Rng(seed);
  const centres = [
    [0, 0],
    [10, 10],
    [-10, 10],
  ];
  const X: number[][] = [];
  const truth: number[] = [];
  for (let i = 0; i < 90; i++) {
    const c = i % 3;
    const [cx, cy] = centres[c] as number[];
    X.push([(cx as number) + 0.5 * rng.normal(), (cy as number) + 0.5 * rng.normal()]);
    truth.push(c);
  }
  return { X, truth };
}

describe('kMeans', () => {
  it('finds well-separated clusters, and its weighted centres keep the (weighted) mean', () => {
    const { X, truth } = blobs(1);
    const w = X.map((_, i) => 1 + (i % 5));
    const r = kMeans(X, 3, { seed: 2, weights: w });
    // Same partition as the truth (up to relabelling).
    for (let i = 0; i < X.length; i++) {
      for (let j = 0; j < X.length; j++) {
        expect(r.labels[i] === r.labels[j]).toBe(truth[i] === truth[j]);
      }
    }
    expect(r.weights.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    const total = w.reduce((s, v) => s + v, 0);
    for (let t = 0; t < 2; t++) {
      const mean = X.reduce((s, x, i) => s + (w[i] as number) * (x[t] as number), 0) / total;
      let cm = 0;
      for (let j = 0; j < 3; j++) cm += (r.weights[j] as number) * r.centres.get(j, t);
      expect(cm).toBeCloseTo(mean, 10);
    }
    expect(r.inertia).toBeLessThan(1);
  });

  it('is deterministic for a seed and returns the rows themselves when k ≥ n', () => {
    const { X } = blobs(3);
    const a = kMeans(X, 4, { seed: 5 });
    const b = kMeans(X, 4, { seed: 5 });
    expect(Array.from(a.centres.data)).toEqual(Array.from(b.centres.data));
    const small = kMeans(X.slice(0, 3), 5);
    expect(small.centres.toArray()).toEqual(X.slice(0, 3));
    expect(Array.from(small.weights)).toEqual([1 / 3, 1 / 3, 1 / 3]);
  });

  it('handles duplicate rows (more clusters than distinct points) without NaN', () => {
    const X = Array.from({ length: 10 }, (_, i) => [i % 2, 0]);
    const r = kMeans(X, 4, { seed: 1 });
    for (const v of r.centres.data) expect(Number.isFinite(v)).toBe(true);
    expect(r.weights.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
  });

  it('rejects bad arguments', () => {
    expect(() => kMeans([[1, 2]], 0)).toThrow(ParameterError);
    expect(() => kMeans([[1, 2]], 1, { maxIter: 0 })).toThrow(ParameterError);
    expect(() => kMeans([[1, 2], [3]], 1)).toThrow(ShapeError);
    expect(() => kMeans([[1, Number.NaN]], 1)).toThrow(ValueError);
    expect(() => kMeans([[1], [2]], 1, { weights: [0, 0] })).toThrow(/weights sum to zero/);
  });
});
