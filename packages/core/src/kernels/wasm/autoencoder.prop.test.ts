import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../random/Rng.js';
import { type WasmAeHyper, type WasmAeLayout, wasmAeScoreBatch, wasmAeTrainStep } from './autoencoder.js';

// An independent Float64 reference of the autoencoder maths the fused kernels implement (the conventions
// of packages/energies/src/autoencoder/kernels.ts): A_{l+1} = f(A_l·W_l + b_l), loss = Σ(y − t)²/(rows·d)
// + weight decay, dropout A = mask ⊙ f(Z), clipping by global norm, Adam with bias correction, SGD with
// momentum. The kernels compute in Float32, so results agree to a documented 2e-4 relative tolerance.

function layoutOf(sizes: number[], acts: number[], leak: number): WasmAeLayout {
  const L = sizes.length - 1;
  const wOff = new Int32Array(L);
  const bOff = new Int32Array(L);
  let off = 0;
  for (let l = 0; l < L; l++) {
    wOff[l] = off;
    off += (sizes[l] as number) * (sizes[l + 1] as number);
    bOff[l] = off;
    off += sizes[l + 1] as number;
  }
  return { sizes: Int32Array.from(sizes), acts: Uint8Array.from(acts), leak, wOff, bOff, nParams: off };
}

function workspace(layout: WasmAeLayout, rows: number) {
  const L = layout.sizes.length - 1;
  const actOff = new Int32Array(L);
  let total = 0;
  for (let l = 0; l < L; l++) {
    actOff[l] = total;
    total += rows * (layout.sizes[l + 1] as number);
  }
  return {
    capacity: rows,
    act: new Float32Array(total),
    actOff,
    mask: new Float32Array(total),
    deltaA: new Float32Array(1),
    deltaB: new Float32Array(1),
  };
}

const f = (code: number, z: number, leak: number): number =>
  code === 1
    ? Math.max(0, z)
    : code === 2
      ? z < 0
        ? leak * z
        : z
      : code === 3
        ? Math.tanh(z)
        : code === 4
          ? 1 / (1 + Math.exp(-z))
          : z;
const fPrime = (code: number, y: number, leak: number): number =>
  code === 1
    ? y > 0
      ? 1
      : 0
    : code === 2
      ? y > 0
        ? 1
        : leak
      : code === 3
        ? 1 - y * y
        : code === 4
          ? y * (1 - y)
          : 1;

/** Reference forward/backward: returns the loss and the gradient (Float64). */
function refGradients(
  lay: WasmAeLayout,
  p: ArrayLike<number>,
  x: ArrayLike<number>,
  t: ArrayLike<number>,
  rows: number,
  mask: ((l: number, i: number) => number) | null,
  wd: number,
): { loss: number; g: Float64Array } {
  const L = lay.sizes.length - 1;
  const A: number[][] = [Array.from(x).slice(0, rows * (lay.sizes[0] as number))];
  for (let l = 0; l < L; l++) {
    const nin = lay.sizes[l] as number;
    const nout = lay.sizes[l + 1] as number;
    const out: number[] = [];
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < nout; j++) {
        let z = p[(lay.bOff[l] as number) + j] as number;
        for (let k = 0; k < nin; k++)
          z += (A[l]?.[r * nin + k] as number) * (p[(lay.wOff[l] as number) + k * nout + j] as number);
        let a = f(lay.acts[l] as number, z, lay.leak);
        if (mask && l < L - 1) a *= mask(l, r * nout + j);
        out.push(a);
      }
    }
    A.push(out);
  }
  const d = lay.sizes[L] as number;
  const n = rows * d;
  let sse = 0;
  let delta: number[] = [];
  for (let i = 0; i < n; i++) {
    const e = (A[L]?.[i] as number) - (t[i] as number);
    sse += e * e;
    delta.push((2 / n) * e);
  }
  const g = new Float64Array(lay.nParams);
  for (let l = L - 1; l >= 0; l--) {
    const nin = lay.sizes[l] as number;
    const nout = lay.sizes[l + 1] as number;
    for (let i = 0; i < rows * nout; i++) {
      const y = A[l + 1]?.[i] as number;
      if (mask && l < L - 1) {
        const m = mask(l, i);
        delta[i] = m === 0 ? 0 : (delta[i] as number) * m * fPrime(lay.acts[l] as number, y / m, lay.leak);
      } else delta[i] = (delta[i] as number) * fPrime(lay.acts[l] as number, y, lay.leak);
    }
    const prev: number[] = new Array(rows * nin).fill(0);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < nout; j++) {
        const dz = delta[r * nout + j] as number;
        const bi = (lay.bOff[l] as number) + j;
        g[bi] = (g[bi] as number) + dz;
        for (let k = 0; k < nin; k++) {
          const wi = (lay.wOff[l] as number) + k * nout + j;
          g[wi] = (g[wi] as number) + (A[l]?.[r * nin + k] as number) * dz;
          prev[r * nin + k] = (prev[r * nin + k] as number) + dz * (p[wi] as number);
        }
      }
    }
    for (let i = 0; i < nin * nout; i++) {
      const wi = (lay.wOff[l] as number) + i;
      g[wi] = (g[wi] as number) + wd * (p[wi] as number);
    }
    delta = prev;
  }
  return { loss: sse / n, g };
}

const caseArb = fc.record({
  sizes: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 2, maxLength: 5 }),
  hidden: fc.constantFrom(0, 1, 2, 3, 4),
  output: fc.constantFrom(0, 4),
  rows: fc.integer({ min: 1, max: 21 }),
  adam: fc.boolean(),
  wd: fc.constantFrom(0, 0.01),
  clip: fc.constantFrom(0, 0.05),
  dropout: fc.boolean(),
  denoise: fc.boolean(),
  seed: fc.integer({ min: 1, max: 1 << 30 }),
});

describe('fused WebAssembly autoencoder kernels vs a Float64 reference', () => {
  it('one training step: loss, gradients and the optimiser update agree', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const sizes = [...c.sizes, c.sizes[0] as number]; // reconstructs its input width
        const L = sizes.length - 1;
        const acts = sizes.slice(1).map((_, l) => (l === L - 1 ? c.output : c.hidden));
        const lay = layoutOf(sizes, acts, 0.1);
        const rng = new Rng(c.seed);
        const np = lay.nParams;
        const p = new Float32Array(np);
        for (let i = 0; i < np; i++) p[i] = rng.normal() * 0.5;
        const d = sizes[0] as number;
        const x = new Float32Array(2 + c.rows * d);
        for (let i = 0; i < x.length; i++) x[i] = rng.normal();
        const target = c.denoise ? x.map((v) => v + 0.25) : x;
        const ws = workspace(lay, c.rows);
        for (let i = 0; i < ws.mask.length; i++) ws.mask[i] = rng.uniform() < 0.7 ? 1 / 0.7 : 0;
        const maskFn = c.dropout
          ? (l: number, i: number) => ws.mask[(ws.actOff[l] as number) + i] as number
          : null;
        const m0 = new Float32Array(np).map(() => rng.normal() * 0.01);
        const v0 = new Float32Array(np).map(() => rng.uniform() * 0.01);
        const hyper: WasmAeHyper = {
          optimizer: c.adam ? 'adam' : 'sgd',
          learningRate: 0.01,
          beta1: 0.9,
          beta2: 0.999,
          epsilon: 1e-2,
          momentum: 0.9,
          weightDecay: c.wd,
          clipNorm: c.clip,
        };
        const tStep = 3;
        const pw = p.slice();
        const g = new Float32Array(np);
        const m = m0.slice();
        const v = v0.slice();
        const loss = wasmAeTrainStep(lay, pw, g, m, v, hyper, tStep, x, 2, target, 2, c.rows, ws, c.dropout);

        const ref = refGradients(lay, p, x.subarray(2), target.subarray(2), c.rows, maskFn, c.wd);
        expect(Math.abs(loss - ref.loss)).toBeLessThanOrEqual(2e-4 * (1e-3 + ref.loss));
        let norm = 0;
        for (const gi of ref.g) norm += gi * gi;
        norm = Math.sqrt(norm);
        if (c.clip > 0 && norm > c.clip)
          for (let i = 0; i < np; i++) ref.g[i] = (ref.g[i] as number) * (c.clip / norm);
        const gTol = 2e-4 * (1e-3 + Math.min(norm, c.clip > 0 ? c.clip : norm));
        for (let i = 0; i < np; i++) {
          if (!(Math.abs((g[i] as number) - (ref.g[i] as number)) <= gTol))
            expect.fail(`grad ${i}: wasm ${g[i]}, ref ${ref.g[i]}`);
        }
        const bc1 = 1 - 0.9 ** tStep;
        const bc2 = 1 - 0.999 ** tStep;
        for (let i = 0; i < np; i++) {
          const gi = ref.g[i] as number;
          let want: number;
          if (c.adam) {
            const mi = 0.9 * (m0[i] as number) + 0.1 * gi;
            const vi = 0.999 * (v0[i] as number) + 0.001 * gi * gi;
            want =
              (p[i] as number) -
              ((0.01 * Math.sqrt(bc2)) / bc1) * (mi / (Math.sqrt(vi) + 1e-2 * Math.sqrt(bc2)));
          } else want = (p[i] as number) + 0.9 * (m0[i] as number) - 0.01 * gi;
          if (!(Math.abs((pw[i] as number) - want) <= 1e-5 * (1 + Math.abs(want)))) {
            expect.fail(`param ${i}: wasm ${pw[i]}, ref ${want}`);
          }
        }
      }),
      { numRuns: 120, seed: 42 },
    );
  });

  it('scoring: per-row energies and contributions (which sum to the energy exactly)', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const sizes = [...c.sizes, c.sizes[0] as number];
        const L = sizes.length - 1;
        const acts = sizes.slice(1).map((_, l) => (l === L - 1 ? c.output : c.hidden));
        const lay = layoutOf(sizes, acts, 0.1);
        const rng = new Rng(c.seed);
        const p = new Float32Array(lay.nParams).map(() => rng.normal() * 0.5);
        const d = sizes[0] as number;
        const x = new Float32Array(1 + c.rows * d).map(() => rng.normal());
        const ws = workspace(lay, c.rows);
        const e = new Float64Array(c.rows + 3).fill(-1);
        const contrib = new Float64Array(c.rows * d);
        wasmAeScoreBatch(lay, p, x, 1, c.rows, ws, e, 3, contrib, 0);
        const e2 = new Float64Array(c.rows + 3).fill(-1);
        wasmAeScoreBatch(lay, p, x, 1, c.rows, ws, e2, 3, null, 0);
        expect(e2).toEqual(e);
        expect([...e.subarray(0, 3)]).toEqual([-1, -1, -1]);
        for (let r = 0; r < c.rows; r++) {
          let s = 0;
          for (let j = 0; j < d; j++) s += contrib[r * d + j] as number;
          expect(s).toBe(e[3 + r]);
          // Reference: one forward pass in Float64 on a single row.
          const ref = refGradients(lay, p, x.subarray(1 + r * d), x.subarray(1 + r * d), 1, null, 0);
          expect(Math.abs((e[3 + r] as number) - ref.loss)).toBeLessThanOrEqual(2e-4 * (1e-3 + ref.loss));
        }
      }),
      { numRuns: 120, seed: 43 },
    );
  });

  it('training reduces the reconstruction loss and is deterministic', () => {
    const lay = layoutOf([16, 8, 3, 8, 16], [1, 1, 1, 0], 0.01);
    const run = () => {
      const rng = new Rng(5);
      const p = new Float32Array(lay.nParams).map(() => rng.normal() * 0.3);
      const base = new Float32Array(16 * 3).map(() => rng.normal());
      const x = new Float32Array(64 * 16);
      for (let r = 0; r < 64; r++)
        for (let j = 0; j < 16; j++) x[r * 16 + j] = (base[(r % 3) * 16 + j] as number) + 0.05 * rng.normal();
      const g = new Float32Array(lay.nParams);
      const m = new Float32Array(lay.nParams);
      const v = new Float32Array(lay.nParams);
      const hyper: WasmAeHyper = {
        optimizer: 'adam',
        learningRate: 1e-2,
        beta1: 0.9,
        beta2: 0.999,
        epsilon: 1e-7,
        momentum: 0,
        weightDecay: 0,
        clipNorm: 0,
      };
      const ws = workspace(lay, 64);
      const losses: number[] = [];
      for (let t = 1; t <= 200; t++)
        losses.push(wasmAeTrainStep(lay, p, g, m, v, hyper, t, x, 0, x, 0, 64, ws, false));
      return { losses, p };
    };
    const a = run();
    const b = run();
    expect(b.p).toEqual(a.p);
    expect(a.losses[199] as number).toBeLessThan(0.2 * (a.losses[0] as number));
  });
});
