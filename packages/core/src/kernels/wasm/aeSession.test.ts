import { describe, expect, it } from 'vitest';
import { Rng } from '../../random/Rng.js';
import { WasmAeSession } from './aeSession.js';
import { type WasmAeHyper, type WasmAeLayout, wasmAeScoreBatch, wasmAeTrainStep } from './autoencoder.js';
import { requireWasmRuntime } from './runtime.js';

function layoutOf(sizes: number[], acts: number[]): WasmAeLayout {
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
  return { sizes: Int32Array.from(sizes), acts: Uint8Array.from(acts), leak: 0.01, wOff, bOff, nParams: off };
}

const hyper: WasmAeHyper = {
  optimizer: 'adam',
  learningRate: 1e-2,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-7,
  momentum: 0.9,
  weightDecay: 1e-4,
  clipNorm: 1,
};

function workspaceFor(layout: WasmAeLayout, capacity: number) {
  const L = layout.sizes.length - 1;
  const actOff = new Int32Array(L);
  let total = 0;
  for (let l = 0; l < L; l++) {
    actOff[l] = total;
    total += capacity * (layout.sizes[l + 1] as number);
  }
  const z = new Float32Array(total);
  return { capacity, act: z, actOff, mask: new Float32Array(total), deltaA: z, deltaB: z };
}

describe('WasmAeSession (parameters resident in WebAssembly memory)', () => {
  it('trains and scores exactly like the copying kernels, with dropout masks and denoising targets', () => {
    const layout = layoutOf([12, 6, 3, 6, 12], [3, 3, 3, 0]);
    const rng = new Rng(9);
    const p0 = new Float32Array(layout.nParams).map(() => rng.normal() * 0.3);
    const cap = 20;
    const session = new WasmAeSession(layout, cap);
    session.writeParams(p0);
    const p = p0.slice();
    const g = new Float32Array(layout.nParams);
    const m = new Float32Array(layout.nParams);
    const v = new Float32Array(layout.nParams);
    const ws = workspaceFor(layout, cap);
    for (let t = 1; t <= 12; t++) {
      const rows = 1 + ((t * 7) % cap);
      const x = new Float32Array(rows * 12).map(() => rng.normal());
      const clean = x.map((a) => a * 0.9);
      const dropout = t % 2 === 0;
      for (let i = 0; i < ws.mask.length; i++) ws.mask[i] = rng.uniform() < 0.8 ? 1.25 : 0;
      session.inputView().set(x);
      session.targetView().set(clean);
      session.maskView().set(ws.mask);
      const a = session.step(hyper, t, rows, dropout, true);
      const b = wasmAeTrainStep(layout, p, g, m, v, hyper, t, x, 0, clean, 0, rows, ws, dropout);
      expect(a).toBe(b);
    }
    expect(session.readParams()).toEqual(p);
    const rows = 17;
    const x = new Float32Array(rows * 12).map(() => rng.normal());
    session.inputView().set(x);
    const e1 = new Float64Array(rows);
    const c1 = new Float64Array(rows * 12);
    session.score(rows, e1, 0, c1, 0);
    const e2 = new Float64Array(rows);
    const c2 = new Float64Array(rows * 12);
    wasmAeScoreBatch(layout, p, x, 0, rows, ws, e2, 0, c2, 0);
    expect(e1).toEqual(e2);
    expect(c1).toEqual(c2);
    session.dispose();
    expect(session.disposed).toBe(true);
    expect(() => session.step(hyper, 1, 1, false, false)).toThrow(/dispose/);
    expect(() => new WasmAeSession(layout, 0)).toThrow(RangeError);
  });

  it('gathers minibatches from resident data exactly as an index copy in JavaScript does', () => {
    const layout = layoutOf([5, 3, 5], [1, 0]);
    const rng = new Rng(4);
    const n = 40;
    const data = new Float32Array(n * 5).map(() => rng.normal());
    const order = Int32Array.from(rng.permutation(n));
    const s = new WasmAeSession(layout, 8);
    expect(() => s.gather(0, 3, false)).toThrow(/setData/);
    s.setData(data, n);
    expect(() => s.gather(0, 3, false)).toThrow(/setOrder/);
    s.setOrder(order);
    for (const [from, rows, toTarget] of [
      [0, 8, false],
      [33, 7, true],
      [5, 1, false],
    ] as const) {
      s.gather(from, rows, toTarget);
      const got = (toTarget ? s.targetView() : s.inputView()).slice(0, rows * 5);
      const want = new Float32Array(rows * 5);
      for (let r = 0; r < rows; r++) {
        const i = order[from + r] as number;
        want.set(data.subarray(i * 5, i * 5 + 5), r * 5);
      }
      expect(got).toEqual(want);
    }
    expect(() => s.gather(38, 3, false)).toThrow(/outside the order/);
    expect(() => s.gather(0, 9, false)).toThrow(/at most 8/);
    expect(() => s.setOrder(Int32Array.of(3, 40))).toThrow(/row 40 is outside the resident data/);
    expect(() => s.setData(data, n + 1)).toThrow(RangeError);
    s.dispose();
  });

  it('scores Float64 rows with in-module standardisation bit-identically to Float32 rows standardised in JavaScript', () => {
    const d = 7; // odd: exercises the scalar tail of the f64x2 loop
    const layout = layoutOf([d, 4, 2, 4, d], [3, 3, 3, 0]);
    const rng = new Rng(11);
    const params = new Float32Array(layout.nParams).map(() => rng.normal() * 0.4);
    const mean = new Float64Array(d).map(() => rng.normal() * 3);
    const std = new Float64Array(d).map(() => 0.1 + rng.uniform() * 5);
    const scorer = new WasmAeSession(layout, 16, undefined, { training: false });
    expect(scorer.training).toBe(false);
    expect(() => scorer.step(hyper, 1, 1, false, false)).toThrow(/scoring only/);
    scorer.writeParams(params);
    const rows = 13;
    const x64 = new Float64Array(3 + rows * d).map(() => rng.normal() * 10 + 1e-7 * rng.uniform());
    const ws = workspaceFor(layout, 16);
    for (const standardise of [true, false]) {
      scorer.setStandardization(standardise ? mean : null, standardise ? std : null);
      const e1 = new Float64Array(rows);
      const c1 = new Float64Array(rows * d);
      scorer.scoreF64(x64, 3, rows, e1, 0, c1, 0);
      const x32 = new Float32Array(rows * d);
      for (let r = 0; r < rows; r++) {
        for (let j = 0; j < d; j++) {
          const v = x64[3 + r * d + j] as number;
          x32[r * d + j] = standardise ? (v - (mean[j] as number)) / (std[j] as number) : v;
        }
      }
      const e2 = new Float64Array(rows);
      const c2 = new Float64Array(rows * d);
      wasmAeScoreBatch(layout, params, x32, 0, rows, ws, e2, 0, c2, 0);
      expect(e1).toEqual(e2);
      expect(c1).toEqual(c2);
    }
    expect(() => scorer.setStandardization(new Float64Array(2), new Float64Array(2))).toThrow(RangeError);
    expect(() => scorer.scoreF64(x64, 0, 17, new Float64Array(17), 0)).toThrow(RangeError);
    scorer.dispose();
  });

  it('1,000 fit/dispose cycles do not grow WebAssembly memory', () => {
    const layout = layoutOf([64, 32, 8, 32, 64], [1, 1, 1, 0]);
    const { heap } = requireWasmRuntime();
    const p0 = new Float32Array(layout.nParams).fill(0.01);
    const cycle = (): void => {
      const s = new WasmAeSession(layout, 256);
      s.writeParams(p0);
      s.inputView().fill(0.5, 0, 4 * 64);
      s.setData(p0, Math.floor(p0.length / 64));
      s.setOrder(Int32Array.of(3, 1, 0, 2));
      s.gather(0, 4, false);
      s.step(hyper, 1, 4, false, false);
      s.readParams();
      s.setStandardization(new Float64Array(64), new Float64Array(64).fill(1));
      s.scoreF64(new Float64Array(2 * 64), 0, 2, new Float64Array(2), 0);
      s.dispose();
    };
    cycle();
    const reserved = heap.bytesReserved;
    const inUse = heap.bytesInUse;
    for (let i = 0; i < 1000; i++) cycle();
    expect(heap.bytesReserved).toBe(reserved);
    expect(heap.bytesInUse).toBe(inUse);
  });
});
