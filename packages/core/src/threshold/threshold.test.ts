import { describe, expect, it } from 'vitest';
import { InputTypeError, ParameterError, ShapeError, ValueError } from '../errors.js';
import { confusionAt } from '../eval/confusionAt.js';
import { Rng } from '../random/Rng.js';
import { evtThreshold } from './evtThreshold.js';
import { thresholdBestF1 } from './thresholdBestF1.js';
import { thresholdForFpr } from './thresholdForFpr.js';
import { thresholdFromContamination } from './thresholdFromContamination.js';

describe('thresholdFromContamination', () => {
  it('matches numpy.quantile(x, 1 - rate) (method="linear")', () => {
    // Reference values from numpy 2.4: np.quantile(np.arange(1, 11), 0.9) = 9.1,
    // np.quantile([3,1,4,1,5,9,2,6,5,3,5], 0.95) = 7.5, np.quantile([0.5,-2.25,7,3.5,1e-3], 0.99) = 6.86.
    expect(thresholdFromContamination([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.1)).toBeCloseTo(9.1, 12);
    expect(thresholdFromContamination([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5], 0.05)).toBeCloseTo(7.5, 12);
    expect(thresholdFromContamination([0.5, -2.25, 7, 3.5, 1e-3], 0.01)).toBeCloseTo(6.86, 12);
    expect(thresholdFromContamination(Float32Array.of(3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5), 0.25)).toBe(5);
  });
  it('returns the value itself for a single energy', () => {
    expect(thresholdFromContamination([4], 0.5)).toBe(4);
  });
  it('rejects a rate outside (0, 1) and bad energies', () => {
    expect(() => thresholdFromContamination([1, 2], 0)).toThrow(ParameterError);
    expect(() => thresholdFromContamination([1, 2], 1)).toThrow(ParameterError);
    expect(() => thresholdFromContamination([1, 2], Number.NaN)).toThrow(
      'thresholdFromContamination: rate must lie strictly between 0 and 1 (expected 0 < value < 1, got NaN)',
    );
    expect(() => thresholdFromContamination([], 0.1)).toThrow(ShapeError);
    expect(() => thresholdFromContamination([1, Number.NaN], 0.1)).toThrow(
      'thresholdFromContamination: non-finite energy at index 1 (expected a finite number, got NaN)',
    );
    expect(() => thresholdFromContamination('12' as unknown as number[], 0.1)).toThrow(InputTypeError);
  });
});

describe('thresholdForFpr', () => {
  it('flags at most targetFpr of the validation data, as many as allowed', () => {
    expect(thresholdForFpr([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.2)).toBe(8.5);
    // 0.29·100 is 28.999999999999996 in floating point; 29 flags are still allowed.
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(thresholdForFpr(hundred, 0.29)).toBe(71.5);
  });
  it('does not split a group of tied energies', () => {
    // 2 flags allowed, but the second-highest 3 is tied with two more: only the 4 is flagged.
    expect(thresholdForFpr([1, 2, 3, 3, 3, 4], 0.34)).toBe(3.5);
  });
  it('returns the maximum when not even one flag is allowed', () => {
    expect(thresholdForFpr([1, 2, 3, 4], 0.1)).toBe(4);
  });
  it('rejects a bad target', () => {
    expect(() => thresholdForFpr([1, 2], 1.5)).toThrow(ParameterError);
    expect(() => thresholdForFpr([1, Number.POSITIVE_INFINITY], 0.1)).toThrow(ValueError);
  });
});

describe('thresholdBestF1', () => {
  it('finds the F1-optimal cut and returns a threshold between observed scores', () => {
    const labels = [0, 0, 1, 1];
    const scores = [0.1, 0.4, 0.35, 0.8];
    const best = thresholdBestF1(labels, scores);
    expect(best.threshold).toBeCloseTo(0.225, 15);
    expect(best.f1).toBeCloseTo(0.8, 15);
    expect(best.precision).toBeCloseTo(2 / 3, 15);
    expect(best.recall).toBe(1);
    expect(confusionAt(labels, scores, best.threshold).f1).toBeCloseTo(0.8, 15);
  });
  it('returns −Infinity when flagging everything is best', () => {
    const best = thresholdBestF1([1, 1, 0, 1], [0.1, 0.2, 0.3, 0.4]);
    expect(best.threshold).toBe(Number.NEGATIVE_INFINITY);
    expect(best.f1).toBeCloseTo(6 / 7, 15);
  });
  it('rejects a single class', () => {
    expect(() => thresholdBestF1([0, 0], [1, 2])).toThrow(ValueError);
  });
});

function sample(n: number, seed: number, draw: (r: Rng) => number): Float64Array {
  const r = new Rng(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = draw(r);
  return out;
}

describe('evtThreshold', () => {
  it('recovers an exponential tail (ξ = 0, σ = 1) and its quantile', () => {
    const train = sample(100_000, 1, (r) => -Math.log(1 - r.uniform()));
    const fit = evtThreshold(train, { risk: 1e-4 });
    expect(fit.n).toBe(100_000);
    expect(fit.nPeaks).toBe(2000);
    expect(Math.abs(fit.t - Math.log(50))).toBeLessThan(0.15);
    expect(Math.abs(fit.xi)).toBeLessThan(0.08);
    expect(fit.sigma).toBeGreaterThan(0.9);
    expect(fit.sigma).toBeLessThan(1.1);
    // The true 1e-4 upper quantile of Exp(1) is −log(1e-4) ≈ 9.21, beyond most of the training data.
    expect(fit.threshold).toBeGreaterThan(8.3);
    expect(fit.threshold).toBeLessThan(10.2);
  });
  it('recovers a Pareto tail (α = 2 → ξ = 0.5) and a bounded uniform tail (ξ = −1)', () => {
    const pareto = evtThreshold(
      sample(100_000, 2, (r) => (1 - r.uniform()) ** -0.5),
      { risk: 1e-3 },
    );
    expect(pareto.xi).toBeGreaterThan(0.38);
    expect(pareto.xi).toBeLessThan(0.62);
    const uniform = evtThreshold(
      sample(20_000, 3, (r) => r.uniform()),
      { risk: 1e-3, initialQuantile: 0.9 },
    );
    expect(uniform.xi).toBeLessThan(-0.85);
    expect(uniform.threshold).toBeLessThanOrEqual(1);
    expect(uniform.threshold).toBeGreaterThan(0.99);
  });
  it('fits a very heavy tail (Pareto α = 0.7 → ξ ≈ 1.43) and tied, discrete energies', () => {
    const heavy = evtThreshold(
      sample(100_000, 6, (r) => (1 - r.uniform()) ** (-1 / 0.7)),
      { risk: 1e-3 },
    );
    expect(heavy.xi).toBeGreaterThan(1.2);
    expect(heavy.xi).toBeLessThan(1.65);
    // Geometric energies 0, 1, 2, …: the initial threshold falls on a tie, peaks are whole numbers.
    const discrete = evtThreshold(
      sample(100_000, 7, (r) => Math.floor(-Math.log(1 - r.uniform()) / Math.LN2)),
      { risk: 1e-3 },
    );
    expect(Number.isFinite(discrete.threshold)).toBe(true);
    expect(discrete.threshold).toBeGreaterThan(discrete.t);
    expect(discrete.nPeaks).toBeLessThan(2000);
  });
  it('gives a higher threshold for a smaller risk', () => {
    const train = sample(20_000, 4, (r) => r.normal());
    const a = evtThreshold(train, { risk: 1e-2, initialQuantile: 0.95 });
    const b = evtThreshold(train, { risk: 1e-3, initialQuantile: 0.95 });
    expect(b.threshold).toBeGreaterThan(a.threshold);
    expect(a.threshold).toBeGreaterThan(a.t);
    expect(a.xi).toBe(b.xi);
  });
  it('validates its parameters and data', () => {
    const train = sample(1000, 5, (r) => r.normal());
    expect(() => evtThreshold(train, { risk: 0 })).toThrow(ParameterError);
    expect(() => evtThreshold(train, { risk: 0.5 })).toThrow(
      /evtThreshold: risk must be below the share of peaks over the initial threshold/,
    );
    expect(() => evtThreshold(train, { risk: 1e-3, initialQuantile: 1 })).toThrow(ParameterError);
    expect(() => evtThreshold(train.subarray(0, 100), { risk: 1e-3 })).toThrow(/too few energies above/);
    expect(() => evtThreshold(train.subarray(0, 100), { risk: 1e-3 })).toThrow(ValueError);
    expect(() => evtThreshold(new Float64Array(1000).fill(2), { risk: 1e-3 })).toThrow(ValueError);
    expect(() => evtThreshold([1, Number.NaN], { risk: 1e-3 })).toThrow(ValueError);
    expect(() => evtThreshold(train, undefined as unknown as { risk: number })).toThrow(ParameterError);
  });
});
