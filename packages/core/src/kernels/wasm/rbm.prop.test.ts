import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../random/Rng.js';
import { wasmRbmCdStep, wasmRbmFreeEnergy, wasmRbmReconstructionError } from './rbm.js';

// Independent Float64 references of the RBM maths (conventions of packages/energies/src/rbm/kernels.ts:
// parameters W (d×h), b (d), c (h)); the kernels compute products in Float32, hence the 1e-4 relative
// tolerances.
const sigm = (x: number): number => 1 / (1 + Math.exp(-x));
const softplus = (x: number): number => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));

function hidden(d: number, h: number, p: Float32Array, v: ArrayLike<number>, r: number, j: number): number {
  let s = p[d * h + d + j] as number;
  for (let i = 0; i < d; i++) s += (v[r * d + i] as number) * (p[i * h + j] as number);
  return s;
}

function workspace(d: number, h: number, _rows: number) {
  return { grad: new Float32Array(d * h + d + h) };
}

const shape = fc.record({
  d: fc.integer({ min: 1, max: 19 }),
  h: fc.integer({ min: 1, max: 13 }),
  rows: fc.integer({ min: 1, max: 17 }),
  gaussian: fc.boolean(),
  seed: fc.integer({ min: 1, max: 1 << 30 }),
});

function data(c: { d: number; h: number; rows: number; gaussian: boolean; seed: number }) {
  const rng = new Rng(c.seed);
  const np = c.d * c.h + c.d + c.h;
  const p = new Float32Array(np).map(() => rng.normal() * 0.3);
  const x = new Float32Array(c.rows * c.d + 3).map(() =>
    c.gaussian ? rng.normal() : rng.uniform() < 0.4 ? 1 : 0,
  );
  return { p, x, np };
}

describe('WebAssembly RBM kernels vs Float64 references', () => {
  it('free energy per row', () => {
    fc.assert(
      fc.property(shape, (c) => {
        const { p, x } = data(c);
        const out = new Float64Array(c.rows + 2).fill(7);
        wasmRbmFreeEnergy(c.gaussian, c.d, c.h, p, x, 3, c.rows, new Float32Array(0), out, 2);
        expect([out[0], out[1]]).toEqual([7, 7]);
        const v = x.subarray(3);
        for (let r = 0; r < c.rows; r++) {
          let vis = 0;
          let scale = 0;
          for (let i = 0; i < c.d; i++) {
            const b = p[c.d * c.h + i] as number;
            const vi = v[r * c.d + i] as number;
            vis += c.gaussian ? 0.5 * (vi - b) ** 2 : -vi * b;
            scale += Math.abs(c.gaussian ? 0.5 * (vi - b) ** 2 : vi * b);
          }
          let sp = 0;
          for (let j = 0; j < c.h; j++) {
            const z = hidden(c.d, c.h, p, v, r, j);
            sp += softplus(z);
            scale += Math.abs(z) + 1;
          }
          expect(Math.abs((out[2 + r] as number) - (vis - sp))).toBeLessThanOrEqual(1e-5 * scale);
        }
      }),
      { numRuns: 150, seed: 51 },
    );
  });

  it('mean-field reconstruction error', () => {
    fc.assert(
      fc.property(shape, (c) => {
        const { p, x } = data(c);
        const got = wasmRbmReconstructionError(
          c.gaussian,
          c.d,
          c.h,
          p,
          x,
          3,
          c.rows,
          workspace(c.d, c.h, c.rows),
        );
        const v = x.subarray(3);
        let want = 0;
        for (let r = 0; r < c.rows; r++) {
          const hp: number[] = [];
          for (let j = 0; j < c.h; j++) hp.push(sigm(hidden(c.d, c.h, p, v, r, j)));
          for (let i = 0; i < c.d; i++) {
            let z = p[c.d * c.h + i] as number;
            for (let j = 0; j < c.h; j++) z += (hp[j] as number) * (p[i * c.h + j] as number);
            const mean = c.gaussian ? z : sigm(z);
            want += ((v[r * c.d + i] as number) - mean) ** 2;
          }
        }
        expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-4 * (1 + want));
      }),
      { numRuns: 150, seed: 52 },
    );
  });

  it('CD-k step: gradient and momentum update, with visible units pinned on by a large bias', () => {
    fc.assert(
      fc.property(shape, fc.integer({ min: 1, max: 3 }), fc.boolean(), (c, k, persistent) => {
        const { p, x, np } = data({ ...c, gaussian: false });
        const { d, h, rows } = c;
        // b = +60 makes every visible probability exactly 1 in Float64, so the negative phase is
        // deterministic: vNeg = 1, hNeg = σ(1ᵀW + c).
        for (let i = 0; i < d; i++) p[d * h + i] = 60;
        const vel0 = new Float32Array(np).map((_, i) => Math.sin(i) * 0.01);
        const rngState = Uint32Array.from({ length: 16 }, (_, i) => i + 1);
        const chain = persistent ? new Float32Array(rows * h).fill(1) : null;
        const pw = p.slice();
        const vel = vel0.slice();
        const ws = workspace(d, h, rows);
        const lr = 0.1;
        const mom = 0.5;
        const wd = 0.01;
        wasmRbmCdStep(false, d, h, pw, vel, x, 3, rows, chain, k, lr, mom, wd, rngState, ws);
        expect([...rngState]).not.toEqual([1, 2, 3, 4]);
        const v = x.subarray(3);
        const ones = new Float32Array(rows * d).fill(1);
        for (let i = 0; i < d; i++) {
          for (let j = 0; j < h; j++) {
            let g = 0;
            for (let r = 0; r < rows; r++) {
              g +=
                (v[r * d + i] as number) * sigm(hidden(d, h, p, v, r, j)) - sigm(hidden(d, h, p, ones, r, j));
            }
            g /= rows;
            const wi = i * h + j;
            const velWant = mom * (vel0[wi] as number) + lr * (g - wd * (p[wi] as number));
            expect(Math.abs((ws.grad[wi] as number) - g)).toBeLessThanOrEqual(1e-5);
            expect(Math.abs((vel[wi] as number) - velWant)).toBeLessThanOrEqual(1e-6);
            expect(Math.abs((pw[wi] as number) - ((p[wi] as number) + velWant))).toBeLessThanOrEqual(1e-6);
          }
          let gb = 0;
          for (let r = 0; r < rows; r++) gb += (v[r * d + i] as number) - 1;
          expect(Math.abs((ws.grad[d * h + i] as number) - gb / rows)).toBeLessThanOrEqual(1e-6);
        }
        for (let j = 0; j < h; j++) {
          let gc = 0;
          for (let r = 0; r < rows; r++)
            gc += sigm(hidden(d, h, p, v, r, j)) - sigm(hidden(d, h, p, ones, r, j));
          expect(Math.abs((ws.grad[d * h + d + j] as number) - gc / rows)).toBeLessThanOrEqual(1e-5);
        }
        if (chain !== null) for (const s of chain) expect(s === 0 || s === 1).toBe(true);
      }),
      { numRuns: 120, seed: 53 },
    );
  });

  it('is deterministic for a given RNG state (Gaussian visible units, persistent chains)', () => {
    const run = () => {
      const { p, x, np } = data({ d: 9, h: 5, rows: 11, gaussian: true, seed: 8 });
      const vel = new Float32Array(np);
      const s = Uint32Array.from({ length: 16 }, (_, i) => 16 - i);
      const chain = new Float32Array(11 * 5);
      const ws = workspace(9, 5, 11);
      for (let t = 0; t < 10; t++) wasmRbmCdStep(true, 9, 5, p, vel, x, 0, 11, chain, 1, 0.01, 0.5, 0, s, ws);
      return { p, s, chain };
    };
    const a = run();
    const b = run();
    expect(b.p).toEqual(a.p);
    expect(b.s).toEqual(a.s);
    expect(b.chain).toEqual(a.chain);
  });
});
