import { Rng } from '@nexus/ebm-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ACTIVATIONS,
  type Activation,
  adamUpdate,
  aeGradients,
  aeLayout,
  aeWorkspace,
  clipGradients,
  sgdUpdate,
} from './kernels.js';

/** Float64 reference forward pass: the loss of `aeGradients` (data part + (λ/2)‖W‖²), written independently. */
function referenceLoss(
  sizes: readonly number[],
  acts: readonly Activation[],
  leak: number,
  p: Float64Array,
  x: Float64Array,
  rows: number,
  mask: Float64Array[] | null,
  lambda: number,
  kinks: { min: number },
): number {
  let off = 0;
  let a: Float64Array[] = [];
  for (let r = 0; r < rows; r++) a.push(x.subarray(r * (sizes[0] as number), (r + 1) * (sizes[0] as number)));
  let decay = 0;
  for (let l = 0; l < sizes.length - 1; l++) {
    const nin = sizes[l] as number;
    const nout = sizes[l + 1] as number;
    const w = off;
    const b = off + nin * nout;
    off = b + nout;
    for (let k = w; k < b; k++) decay += (p[k] as number) ** 2;
    const next: Float64Array[] = [];
    for (let r = 0; r < rows; r++) {
      const o = new Float64Array(nout);
      for (let j = 0; j < nout; j++) {
        let z = p[b + j] as number;
        for (let i = 0; i < nin; i++) z += (a[r]?.[i] as number) * (p[w + i * nout + j] as number);
        const act = acts[l] as Activation;
        if (act === 'relu' || act === 'leaky-relu') kinks.min = Math.min(kinks.min, Math.abs(z));
        let y = z;
        if (act === 'relu') y = Math.max(0, z);
        else if (act === 'leaky-relu') y = z > 0 ? z : leak * z;
        else if (act === 'tanh') y = Math.tanh(z);
        else if (act === 'sigmoid') y = 1 / (1 + Math.exp(-z));
        if (mask !== null && l < sizes.length - 2) y *= mask[l]?.[r * nout + j] as number;
        o[j] = y;
      }
      next.push(o);
    }
    a = next;
  }
  const d = sizes[sizes.length - 1] as number;
  let sse = 0;
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < d; j++) sse += ((a[r]?.[j] as number) - (x[r * d + j] as number)) ** 2;
  }
  return sse / (rows * d) + 0.5 * lambda * decay;
}

const activation = fc.constantFrom(...ACTIVATIONS);

describe('autoencoder backward pass', () => {
  it('matches central finite differences of a float64 reference on small random networks', () => {
    fc.assert(
      fc.property(
        fc.record({
          d: fc.integer({ min: 1, max: 5 }),
          hidden: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 3 }),
          hiddenAct: activation,
          outAct: activation,
          rows: fc.integer({ min: 1, max: 4 }),
          lambda: fc.constantFrom(0, 0.1),
          dropout: fc.boolean(),
          seed: fc.integer({ min: 0, max: 1_000_000 }),
        }),
        ({ d, hidden, hiddenAct, outAct, rows, lambda, dropout, seed }) => {
          const sizes = [d, ...hidden, d];
          const leak = 0.1;
          const layout = aeLayout(sizes, hiddenAct, outAct, leak);
          const L = sizes.length - 1;
          const acts: Activation[] = sizes.slice(1).map((_, l) => (l === L - 1 ? outAct : hiddenAct));
          const rng = new Rng(seed);
          const params = rng.fillNormal(new Float32Array(layout.nParams), 0, 0.8);
          const x = rng.fillNormal(new Float32Array(rows * d), 0, 1);
          const ws = aeWorkspace(layout, rows);
          let masks: Float64Array[] | null = null;
          if (dropout) {
            masks = [];
            for (let l = 0; l < L - 1; l++) {
              const n = rows * (sizes[l + 1] as number);
              const m = new Float64Array(n);
              for (let k = 0; k < n; k++) m[k] = rng.uniform() < 0.7 ? 1 / 0.7 : 0;
              ws.mask.set(Float32Array.from(m), ws.actOff[l] as number);
              masks.push(Float64Array.from(Float32Array.from(m)));
            }
          }
          const grads = new Float32Array(layout.nParams);
          const loss = aeGradients(layout, params, grads, x, 0, x, 0, rows, ws, dropout, lambda);

          const p64 = Float64Array.from(params);
          const x64 = Float64Array.from(x);
          const kinks = { min: Number.POSITIVE_INFINITY };
          const ref = referenceLoss(sizes, acts, leak, p64, x64, rows, masks, 0, kinks);
          if (kinks.min < 1e-3) return; // too close to a ReLU kink for finite differences
          expect(Math.abs(loss - ref)).toBeLessThanOrEqual(1e-5 * Math.max(1, ref));

          const h = 1e-5;
          let maxG = 0;
          const num = new Float64Array(layout.nParams);
          for (let k = 0; k < layout.nParams; k++) {
            const keep = p64[k] as number;
            p64[k] = keep + h;
            const up = referenceLoss(sizes, acts, leak, p64, x64, rows, masks, lambda, { min: 0 });
            p64[k] = keep - h;
            const down = referenceLoss(sizes, acts, leak, p64, x64, rows, masks, lambda, { min: 0 });
            p64[k] = keep;
            num[k] = (up - down) / (2 * h);
            maxG = Math.max(maxG, Math.abs(num[k] as number));
          }
          for (let k = 0; k < layout.nParams; k++) {
            const g = num[k] as number;
            const err = Math.abs((grads[k] as number) - g);
            if (err > 1e-4 * (1 + maxG) + 1e-3 * Math.abs(g)) {
              throw new Error(
                `parameter ${k}: analytic ${grads[k]}, numeric ${g} (sizes ${sizes.join('-')})`,
              );
            }
          }
        },
      ),
      { numRuns: 60, seed: 4 },
    );
  });

  it('a wrong backward pass would be caught: gradients are not all zero and follow the loss', () => {
    const layout = aeLayout([3, 2, 3], 'tanh', 'linear', 0.01);
    const rng = new Rng(2);
    const params = rng.fillNormal(new Float32Array(layout.nParams), 0, 0.5);
    const x = rng.fillNormal(new Float32Array(4 * 3), 0, 1);
    const ws = aeWorkspace(layout, 4);
    const grads = new Float32Array(layout.nParams);
    const before = aeGradients(layout, params, grads, x, 0, x, 0, 4, ws, false, 0);
    expect(clipGradients(grads, grads.length, 0)).toBeGreaterThan(0);
    // A small step against the gradient lowers the loss.
    for (let k = 0; k < params.length; k++) params[k] = (params[k] as number) - 1e-2 * (grads[k] as number);
    const after = aeGradients(layout, params, grads, x, 0, x, 0, 4, ws, false, 0);
    expect(after).toBeLessThan(before);
  });
});

describe('optimiser kernels', () => {
  it('clipGradients caps the global norm and leaves small gradients alone', () => {
    fc.assert(
      fc.property(
        fc.array(fc.float({ min: -100, max: 100, noNaN: true }), { minLength: 1, maxLength: 30 }),
        fc.double({ min: 0.01, max: 50, noNaN: true }),
        (values, maxNorm) => {
          const g = Float32Array.from(values);
          const copy = g.slice();
          const norm = clipGradients(g, g.length, maxNorm);
          let after = 0;
          for (const v of g) after += v * v;
          after = Math.sqrt(after);
          if (norm <= maxNorm) expect(Array.from(g)).toEqual(Array.from(copy));
          else expect(after).toBeLessThanOrEqual(maxNorm * (1 + 1e-5));
        },
      ),
      { numRuns: 50 },
    );
  });

  it('adamUpdate matches the textbook update for the first two steps', () => {
    const p = new Float32Array([1, -2]);
    const m = new Float32Array(2);
    const v = new Float32Array(2);
    const g = new Float32Array([0.5, -4]);
    adamUpdate(p, g, m, v, 2, 0.1, 0.9, 0.999, 1e-8, 1);
    // Step 1: m̂ = g, v̂ = g², so the step is lr·sign(g) (up to ε).
    expect(p[0]).toBeCloseTo(0.9, 5);
    expect(p[1]).toBeCloseTo(-1.9, 5);
    adamUpdate(p, g, m, v, 2, 0.1, 0.9, 0.999, 1e-8, 2);
    expect(p[0]).toBeCloseTo(0.8, 5);
  });

  it('sgdUpdate accumulates momentum', () => {
    const p = new Float32Array([0]);
    const vel = new Float32Array(1);
    const g = new Float32Array([1]);
    sgdUpdate(p, g, vel, 1, 0.1, 0.9);
    sgdUpdate(p, g, vel, 1, 0.1, 0.9);
    // vel: −0.1, then −0.19; p = −0.29
    expect(p[0]).toBeCloseTo(-0.29, 6);
  });
});
