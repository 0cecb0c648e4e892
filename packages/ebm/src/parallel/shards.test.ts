import { Matrix, Rng } from '@nexus/ebm-core';
import { Autoencoder, GaussianMixture } from '@nexus/ebm-energies';
import { describe, expect, it } from 'vitest';
import { averageAutoencoders, fitMixtureSharded } from './shards.js';

function clusters(n: number, seed: number): Matrix {
  const r = new Rng(seed);
  const centres = [
    [0, 0, 0],
    [5, 5, 0],
    [0, 6, -4],
  ];
  const m = new Matrix(n, 3);
  for (let i = 0; i < n; i++) {
    const c = centres[i % 3] as number[];
    for (let j = 0; j < 3; j++) m.data[i * 3 + j] = (c[j] as number) + (0.5 + 0.3 * j) * r.normal();
  }
  return m;
}

function rows(m: Matrix, a: number, b: number): Matrix {
  return new Matrix(b - a, m.cols, m.data.slice(a * m.cols, b * m.cols));
}

const mean = (e: Float64Array): number => e.reduce((s, v) => s + v, 0) / e.length;

describe('fitMixtureSharded', () => {
  const X = clusters(3000, 1);
  const test = clusters(600, 2);

  it('does not depend on how the rows are split into shards, and matches a one-machine fit in quality', () => {
    const opts = { nComponents: 3, seed: 4, tolerance: 1e-6 };
    const one = fitMixtureSharded([X], opts, 3000);
    const three = fitMixtureSharded([rows(X, 0, 700), rows(X, 700, 2100), rows(X, 2100, 3000)], opts, 3000);
    const e1 = one.energy(test);
    const e3 = three.energy(test);
    for (let i = 0; i < e1.length; i++)
      expect(Math.abs((e3[i] as number) - (e1[i] as number))).toBeLessThan(1e-6);
    expect(three.nIter).toBeGreaterThan(0);
    const direct = new GaussianMixture(opts).fit(X);
    expect(Math.abs(mean(e3) - mean(direct.energy(test)))).toBeLessThan(
      0.05 * Math.abs(mean(direct.energy(test))),
    );
  });

  it('rejects shards of different widths', () => {
    expect(() => fitMixtureSharded([X, new Matrix(2, 2)])).toThrow(/different width/);
  });
});

describe('averageAutoencoders', () => {
  it('averages shard models trained from the same start into a model about as good as each', () => {
    const r = new Rng(5);
    const B = Array.from({ length: 2 }, () => Array.from({ length: 6 }, () => r.normal()));
    const data = (n: number): number[][] =>
      Array.from({ length: n }, () => {
        const z = [r.normal(), r.normal()];
        return Array.from(
          { length: 6 },
          (_, j) =>
            (z[0] as number) * (B[0]?.[j] as number) +
            (z[1] as number) * (B[1]?.[j] as number) +
            0.05 * r.normal(),
        );
      });
    const opts = { hiddenSizes: [4, 2], epochs: 15, learningRate: 1e-2, seed: 3, patience: 0 };
    const a = new Autoencoder(opts).fit(data(800));
    const b = new Autoencoder(opts).fit(data(800));
    const avg = averageAutoencoders([a, b]);
    const test = data(300);
    const untrained = new Autoencoder({ ...opts, epochs: 1, learningRate: 1e-9 }).fit(data(50));
    const ea = mean(a.energy(test));
    const eb = mean(b.energy(test));
    const eavg = mean(avg.energy(test));
    console.log(`shard models ${ea.toFixed(4)} ${eb.toFixed(4)}, averaged ${eavg.toFixed(4)}`);
    expect(eavg).toBeLessThan(1.5 * Math.max(ea, eb));
    expect(eavg).toBeLessThan(0.5 * mean(untrained.energy(test)));
    expect(() =>
      averageAutoencoders([a, new Autoencoder({ ...opts, hiddenSizes: [3, 2] }).fit(data(50))]),
    ).toThrow(/another architecture/);
  });
});
