import { Matrix, Rng } from '@nexus/ebm-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rbmFreeEnergy, rbmPackedSize, seedXoshiro, uniform24 } from './kernels.js';
import { RBM } from './RBM.js';

function logSumExp(xs: readonly number[]): number {
  let m = Number.NEGATIVE_INFINITY;
  for (const x of xs) if (x > m) m = x;
  let s = 0;
  for (const x of xs) s += Math.exp(x - m);
  return m + Math.log(s);
}

/** All 2^n binary vectors of length n, row by row. */
function allBinary(n: number): Float64Array[] {
  const out: Float64Array[] = [];
  for (let code = 0; code < 2 ** n; code++) {
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) v[i] = (code >> i) & 1;
    out.push(v);
  }
  return out;
}

/** −E(v, h) of an RBM with parameters in the kernel layout (W d×H, b, c), Bernoulli or Gaussian visibles. */
function negEnergy(
  gaussian: boolean,
  d: number,
  h: number,
  p: Float64Array,
  v: ArrayLike<number>,
  hv: ArrayLike<number>,
): number {
  let s = 0;
  for (let i = 0; i < d; i++) {
    const b = p[d * h + i] as number;
    s += gaussian ? -0.5 * ((v[i] as number) - b) ** 2 : b * (v[i] as number);
    for (let j = 0; j < h; j++) s += (v[i] as number) * (p[i * h + j] as number) * (hv[j] as number);
  }
  for (let j = 0; j < h; j++) s += (p[d * h + d + j] as number) * (hv[j] as number);
  return s;
}

function kernelFreeEnergies(
  gaussian: boolean,
  d: number,
  h: number,
  params: Float32Array,
  vs: Float64Array[],
): Float64Array {
  const rows = vs.length;
  const x = new Float32Array(rows * d);
  vs.forEach((v, r) => {
    x.set(v, r * d);
  });
  const out = new Float64Array(rows);
  rbmFreeEnergy(gaussian, d, h, params, x, 0, rows, new Float64Array(rbmPackedSize(d, h)), out, 0);
  return out;
}

/** Checks F(v) = −log Σ_h e^(−E(v,h)) for every v, and Σ_v e^(−F(v)) / Z = 1 with Z summed over all (v, h). */
function checkBernoulli(d: number, h: number, params: Float32Array, free: Float64Array): void {
  const p = Float64Array.from(params);
  const vs = allBinary(d);
  const hs = allBinary(h);
  const joint: number[] = [];
  const marg: number[] = [];
  vs.forEach((v, k) => {
    const terms = hs.map((hv) => negEnergy(false, d, h, p, v, hv));
    for (const t of terms) joint.push(t);
    const brute = -logSumExp(terms);
    const f = free[k] as number;
    if (Math.abs(f - brute) > 1e-5 * (1 + Math.abs(brute))) {
      throw new Error(`F(v=${Array.from(v).join('')}) = ${f}, brute-force marginal gives ${brute}`);
    }
    marg.push(-f);
  });
  const logZ = logSumExp(joint);
  let total = 0;
  for (const m of marg) total += Math.exp(m - logZ);
  expect(Math.abs(total - 1)).toBeLessThan(1e-5);
}

describe('RBM free energy against brute force on tiny machines', () => {
  it('Bernoulli: F matches the brute-force marginal and exp(−F)/Z sums to 1 over all binary v', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 8 }),
        fc.double({ min: 0.1, max: 2, noNaN: true }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (d, h, scale, seed) => {
          const params = new Rng(seed).fillNormal(new Float32Array(d * h + d + h), 0, scale);
          checkBernoulli(d, h, params, kernelFreeEnergies(false, d, h, params, allBinary(d)));
        },
      ),
      { numRuns: 12, seed: 7 },
    );
  });

  it('a trained Bernoulli RBM: model.energy is the exact free energy (brute force over all v and h)', () => {
    const rng = new Rng(3);
    const d = 8;
    const X = new Matrix(200, d);
    for (let i = 0; i < X.data.length; i++) X.data[i] = rng.uniform() < (i % d) / d ? 1 : 0;
    const rbm = new RBM({ nHidden: 6, epochs: 5, seed: 1 }).fit(X);
    const params = Float32Array.from(rbm.toJSON().state.params as number[]);
    const vs = allBinary(d);
    const m = new Matrix(vs.length, d);
    vs.forEach((v, r) => {
      m.data.set(v, r * d);
    });
    checkBernoulli(d, 6, params, rbm.energy(m));
  });

  it('Gaussian: F matches the marginal over h, and ∫ exp(−F(v)) dv equals the closed-form Z', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (d, h, seed) => {
          const rng = new Rng(seed);
          const params = rng.fillNormal(new Float32Array(d * h + d + h), 0, 0.7);
          const p = Float64Array.from(params);
          const hs = allBinary(h);
          // Z = Σ_h (2π)^(d/2) exp(½‖b + Wh‖² − ½‖b‖² + cᵀh)
          const logTerms = hs.map((hv) => {
            let t = 0;
            for (let i = 0; i < d; i++) {
              const b = p[d * h + i] as number;
              let m = b;
              for (let j = 0; j < h; j++) m += (p[i * h + j] as number) * (hv[j] as number);
              t += 0.5 * m * m - 0.5 * b * b;
            }
            for (let j = 0; j < h; j++) t += (p[d * h + d + j] as number) * (hv[j] as number);
            return t + (d / 2) * Math.log(2 * Math.PI);
          });
          const logZ = logSumExp(logTerms);
          // Quadrature of exp(−F) on a grid (trapezoid; the integrand is a smooth Gaussian mixture).
          const lim = 12;
          const steps = d === 1 ? 1200 : 160;
          const step = (2 * lim) / steps;
          const grid: Float64Array[] = [];
          if (d === 1) for (let a = 0; a <= steps; a++) grid.push(Float64Array.of(-lim + a * step));
          else {
            for (let a = 0; a <= steps; a++) {
              for (let b = 0; b <= steps; b++) grid.push(Float64Array.of(-lim + a * step, -lim + b * step));
            }
          }
          const free = kernelFreeEnergies(true, d, h, params, grid);
          let integral = 0;
          grid.forEach((v, k) => {
            const f = free[k] as number;
            if (k % 97 === 0) {
              const brute = -logSumExp(hs.map((hv) => negEnergy(true, d, h, p, Float32Array.from(v), hv)));
              expect(Math.abs(f - brute)).toBeLessThan(1e-5 * (1 + Math.abs(brute)));
            }
            let w = step ** d;
            for (const x of v) if (Math.abs(Math.abs(x) - lim) < step / 2) w *= 0.5;
            integral += w * Math.exp(-f - logZ);
          });
          expect(Math.abs(integral - 1)).toBeLessThan(1e-3);
        },
      ),
      { numRuns: 6, seed: 3 },
    );
  });
});

describe('seeded sampling', () => {
  it('uniform24 is deterministic per seed and roughly uniform in [0, 1)', () => {
    const a = seedXoshiro(() => 12345);
    const b = seedXoshiro(() => 12345);
    const bins = new Int32Array(10);
    let mismatches = 0;
    for (let i = 0; i < 20_000; i++) {
      const u = uniform24(a);
      if (uniform24(b) !== u || !(u >= 0 && u < 1)) mismatches++;
      const bin = Math.floor(u * 10);
      bins[bin] = (bins[bin] as number) + 1;
    }
    expect(mismatches).toBe(0);
    for (const c of bins) expect(Math.abs(c - 2000)).toBeLessThan(200);
  });
});
