import {
  getBackend,
  type KernelBackend,
  loadModel,
  Matrix,
  ParameterError,
  type Progress,
  Rng,
  rocAuc,
  setBackend,
  useFastestBackend,
  ValueError,
} from '@nexus/ebm-core';
import { getWasmBackend, tsBackend } from '@nexus/ebm-core/kernels';
import { describeEnergyModelContract } from '@nexus/ebm-core/testing';
import { getWasmRuntime, type WasmRuntime } from '@nexus/ebm-core/wasm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerBuiltinModels } from '../registration/registerBuiltinModels.js';
import {
  getRbmKernels,
  rbmWorkspace,
  seedXoshiro,
  setRbmKernels,
  tsRbmKernels,
  wasmRbmKernels,
} from './kernels.js';
import { RBM } from './RBM.js';

// saved models below load through `loadModel`, which needs the built-in kinds registered
registerBuiltinModels();

/** Binary rows from a few prototypes with bit-flip noise; anomalies are uniformly random bits. */
function prototypes(
  rng: Rng,
  n: number,
  protos: Uint8Array[],
  flip: number,
  outlierFraction: number,
): { X: Matrix; y: Uint8Array } {
  const d = (protos[0] as Uint8Array).length;
  const X = new Matrix(n, d);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const out = rng.uniform() < outlierFraction;
    y[i] = out ? 1 : 0;
    const p = protos[rng.int(protos.length)] as Uint8Array;
    for (let j = 0; j < d; j++) {
      const bit = out
        ? rng.uniform() < 0.5
          ? 1
          : 0
        : rng.uniform() < flip
          ? 1 - (p[j] as number)
          : (p[j] as number);
      X.data[i * d + j] = bit;
    }
  }
  return { X, y };
}

function makePrototypes(rng: Rng, k: number, d: number): Uint8Array[] {
  return Array.from({ length: k }, () => Uint8Array.from({ length: d }, () => (rng.uniform() < 0.5 ? 1 : 0)));
}

/** PyOD-style data: inliers in two tight Gaussian clusters, outliers uniform in a wide box. */
function clusters(rng: Rng, n: number, d: number, outlierFraction: number): { X: Matrix; y: Uint8Array } {
  const X = new Matrix(n, d);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const out = rng.uniform() < outlierFraction;
    y[i] = out ? 1 : 0;
    const centre = rng.uniform() < 0.5 ? -2 : 2;
    for (let j = 0; j < d; j++) X.data[i * d + j] = out ? rng.range(-5, 5) : centre + 0.3 * rng.normal();
  }
  return { X, y };
}

const defaultBackend: KernelBackend = getBackend();
// Under EBM_BACKEND=ts, setBackend ignores the WebAssembly backend: only the TypeScript one is testable.
const wasmBackend: KernelBackend | undefined =
  process.env.EBM_BACKEND === 'ts' ? undefined : getWasmBackend();
const backends: KernelBackend[] = wasmBackend === undefined ? [tsBackend] : [tsBackend, wasmBackend];

// Same seed and backend, same energies: the contract holds with every available kernel backend.
for (const backend of backends) {
  describe(`${backend.name} backend`, () => {
    beforeAll(() => setBackend(backend));
    afterAll(() => setBackend(defaultBackend));

    describeEnergyModelContract(
      'RBM (Bernoulli)',
      () => new RBM({ nHidden: 6, epochs: 10, batchSize: 16 }),
      { describe, it },
      {
        makeData: (rng, n, d) => prototypes(rng, n, makePrototypes(rng, 3, d), 0.1, 0).X,
        // A "far" point outside [0, 1] is a ValueError for Bernoulli units; checked separately below.
        checkOutlier: false,
      },
    );

    describeEnergyModelContract(
      'RBM (Gaussian, CD-2)',
      () => new RBM({ visible: 'gaussian', method: 'cd', k: 2, nHidden: 6, epochs: 10, batchSize: 16 }),
      { describe, it },
    );
  });
}

describe('RBM kernel selection', () => {
  afterEach(() => {
    setBackend(defaultBackend);
    setRbmKernels('auto');
  });

  it('follows the kernel backend unless kernels were installed', () => {
    setBackend('ts');
    expect(getRbmKernels()).toBe(tsRbmKernels);
    if (wasmBackend !== undefined) {
      expect(useFastestBackend()).toBe(wasmBackend);
      expect(getRbmKernels()).toBe(wasmRbmKernels);
      setRbmKernels('ts');
      expect(getRbmKernels()).toBe(tsRbmKernels);
      setRbmKernels('auto');
      expect(getRbmKernels()).toBe(wasmRbmKernels);
    }
  });

  it('follows the default backend, and uses the TypeScript kernels under EBM_BACKEND=ts whatever the backend', () => {
    expect(getRbmKernels()).toBe(defaultBackend.name === 'wasm' ? wasmRbmKernels : tsRbmKernels);
    vi.stubEnv('EBM_BACKEND', 'ts');
    try {
      setBackend(wasmBackend ?? 'ts');
      expect(getRbmKernels()).toBe(tsRbmKernels);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it.skipIf(wasmBackend === undefined)('scores a fitted model nearly the same with both backends', () => {
    const rng = new Rng(4);
    const X = prototypes(rng, 300, makePrototypes(rng, 3, 12), 0.1, 0.05).X;
    setBackend('ts');
    const rbm = new RBM({ nHidden: 8, epochs: 5, batchSize: 20, seed: 2 }).fit(X);
    const ts = rbm.energy(X);
    setBackend(wasmBackend as KernelBackend);
    const wasm = rbm.energy(X);
    for (let i = 0; i < ts.length; i++) {
      expect(Math.abs((wasm[i] as number) - (ts[i] as number))).toBeLessThanOrEqual(
        1e-4 * (1 + Math.abs(ts[i] as number)),
      );
    }
  });

  it.skipIf(wasmBackend === undefined)(
    'trains on a resident WebAssembly session exactly as with the per-call wasm kernels (CD-k and PCD, both variants)',
    () => {
      const rng = new Rng(5);
      const binary = prototypes(rng, 230, makePrototypes(rng, 3, 10), 0.1, 0.05).X; // a last partial batch
      const real = new Matrix(
        230,
        10,
        Float64Array.from({ length: 2300 }, () => rng.normal()),
      );
      setBackend(wasmBackend as KernelBackend);
      for (const [visible, X] of [
        ['bernoulli', binary],
        ['gaussian', real],
      ] as const) {
        for (const method of ['cd', 'pcd'] as const) {
          const opts = {
            visible,
            method,
            k: 2,
            nHidden: 7,
            epochs: 3,
            batchSize: 50,
            momentum: 0.5,
            seed: 3,
          };
          setRbmKernels('auto');
          const losses: number[] = [];
          const resident = new RBM(opts).fit(X, { onProgress: (p) => losses.push(p.loss ?? 0) });
          setRbmKernels({ ...wasmRbmKernels, name: 'wasm (per call)' });
          const perCallLosses: number[] = [];
          const perCall = new RBM(opts).fit(X, { onProgress: (p) => perCallLosses.push(p.loss ?? 0) });
          expect(resident.toJSON().state).toEqual(perCall.toJSON().state);
          expect(losses).toEqual(perCallLosses);
          // scoring: the resident scorer (auto) against the per-call kernel with Float32 rows from JavaScript
          const a = resident.energy(X);
          setRbmKernels('auto');
          const b = perCall.energy(X);
          expect(Array.from(b)).toEqual(Array.from(a));
        }
      }
    },
  );

  it.skipIf(wasmBackend === undefined)(
    'both backends draw the same Bernoulli samples from the same four-stream generator state',
    () => {
      const d = 9;
      const h = 6;
      const rows = 7; // 42 hidden and 63 visible draws: partial blocks of four
      const rng = new Rng(21);
      const params = new Float32Array(d * h + d + h).map(() => rng.normal() * 0.5);
      const v = new Float32Array(rows * d).map(() => (rng.uniform() < 0.5 ? 1 : 0));
      const seed = seedXoshiro(() => rng.int(4294967296));
      const run = (kernels: typeof tsRbmKernels): { chain: Float32Array; state: Uint32Array } => {
        const chain = new Float32Array(rows * h).map((_, i) => i % 2);
        const state = seed.slice();
        kernels.cdStep(
          false,
          d,
          h,
          params.slice(),
          new Float32Array(params.length),
          v,
          0,
          rows,
          chain,
          3,
          0.1,
          0,
          0,
          state,
          rbmWorkspace(d, h, rows),
        );
        return { chain, state };
      };
      const a = run(tsRbmKernels);
      const b = run(wasmRbmKernels);
      expect(Array.from(b.state)).toEqual(Array.from(a.state));
      // probabilities are computed with different exp implementations, so a draw that lands within
      // rounding of its probability may differ; with these 3 × (42 + 63) draws none does
      expect(Array.from(b.chain)).toEqual(Array.from(a.chain));
    },
  );

  it.skipIf(wasmBackend === undefined)(
    'dispose releases the WebAssembly scoring buffers; the model stays usable, and refits release them too',
    () => {
      const rng = new Rng(6);
      const X = prototypes(rng, 200, makePrototypes(rng, 3, 12), 0.1, 0.05).X;
      setBackend(wasmBackend as KernelBackend);
      const heap = (getWasmRuntime() as WasmRuntime).heap;
      const rbm = new RBM({ epochs: 2, seed: 1 }).fit(X);
      const before = heap.bytesInUse;
      const e1 = rbm.energy(X);
      expect(heap.bytesInUse).toBeGreaterThan(before);
      rbm.dispose();
      expect(heap.bytesInUse).toBe(before);
      expect(Array.from(rbm.energy(X))).toEqual(Array.from(e1));
      rbm.fit(X);
      expect(heap.bytesInUse).toBe(before);
      rbm.dispose();
      expect(heap.bytesInUse).toBe(before);
    },
  );
});

describe('RBM quality floor (synthetic data with injected anomalies, unsupervised training on contaminated data)', () => {
  it('Bernoulli: random bit vectors score above noisy prototypes (ROC-AUC ≥ 0.9 on every seed)', () => {
    for (const seed of [1, 2, 3]) {
      const rng = new Rng(seed);
      const protos = makePrototypes(rng, 5, 24);
      const train = prototypes(rng, 800, protos, 0.05, 0.05);
      const test = prototypes(rng, 400, protos, 0.05, 0.1);
      const rbm = new RBM({ seed }).fit(train.X);
      expect(rocAuc(test.y, rbm.energy(test.X))).toBeGreaterThanOrEqual(0.9);
    }
  });

  it('Gaussian: uniform outliers score above two-cluster inliers (ROC-AUC ≥ 0.9 on every seed)', () => {
    for (const seed of [1, 2, 3]) {
      const rng = new Rng(seed);
      const train = clusters(rng, 600, 6, 0.05);
      const test = clusters(rng, 400, 6, 0.1);
      const rbm = new RBM({ visible: 'gaussian', seed }).fit(train.X);
      expect(rocAuc(test.y, rbm.energy(test.X))).toBeGreaterThanOrEqual(0.9);
    }
  });
});

describe('RBM behaviour', () => {
  const rng = new Rng(21);
  const protos = makePrototypes(rng, 3, 12);
  const binary = prototypes(rng, 300, protos, 0.05, 0).X;

  it('rejects inputs outside [0, 1] for Bernoulli units, in fit and in energy, naming the cell', () => {
    const bad = binary.clone();
    bad.set(4, 2, 1.5);
    expect(() => new RBM().fit(bad)).toThrow(ValueError);
    expect(() => new RBM().fit(bad)).toThrow(/^RBM\.fit: value at row 4, column 2 is outside/);
    const rbm = new RBM({ epochs: 2 }).fit(binary);
    expect(() => rbm.energy([[...Array(11).fill(0), -0.5]])).toThrow(
      /^RBM\.energy: value at row 0, column 11/,
    );
    expect(() => rbm.energyOne([...Array(11).fill(0), 2])).toThrow(ValueError);
    // Values inside [0, 1] that are not binary are accepted (mean-field inputs).
    expect(Number.isFinite(rbm.energyOne(Array(12).fill(0.5)))).toBe(true);
  });

  it('a corrupted prototype scores above the median training energy', () => {
    const rbm = new RBM({ seed: 1 }).fit(binary);
    const e = Array.from(rbm.energy(binary)).sort((a, b) => a - b);
    const flipped = Array.from(protos[0] as Uint8Array, (b) => 1 - b);
    expect(rbm.energyOne(flipped)).toBeGreaterThan(e[150] as number);
  });

  it('CD-1, CD-3 and PCD all lower the reconstruction error, reported once per epoch with samples/s', () => {
    for (const opts of [
      { method: 'cd' as const },
      { method: 'cd' as const, k: 3 },
      { method: 'pcd' as const },
    ]) {
      const seen: Progress[] = [];
      new RBM({ ...opts, epochs: 15, seed: 4 }).fit(binary, { onProgress: (p) => seen.push(p) });
      expect(seen.map((p) => p.epoch)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
      expect(seen.every((p) => (p.samplesPerSecond as number) > 0 && p.epochs === 15)).toBe(true);
      expect((seen[14] as Progress).loss).toBeLessThan((seen[0] as Progress).loss as number);
    }
  });

  it('CD and PCD, momentum and weight decay give different models; the same seed gives the same one', () => {
    const energies = (o: ConstructorParameters<typeof RBM>[0]): number[] =>
      Array.from(new RBM({ epochs: 4, ...o }).fit(binary, { seed: 8 }).energy(binary));
    const base = energies({});
    expect(energies({})).toEqual(base);
    expect(energies({ method: 'cd' })).not.toEqual(base);
    expect(energies({ momentum: 0 })).not.toEqual(base);
    expect(energies({ weightDecay: 0.1 })).not.toEqual(base);
    const norm = (wd: number): number => {
      const p = new RBM({ epochs: 10, weightDecay: wd, seed: 2 }).fit(binary).toJSON().state
        .params as number[];
      return p.slice(0, 12 * 12).reduce((s, v) => s + v * v, 0);
    };
    expect(norm(0.05)).toBeLessThan(norm(0));
  });

  it('the Gaussian variant standardises its inputs: energies are invariant to shifting and scaling a column', () => {
    const X = clusters(new Rng(5), 200, 4, 0).X;
    const Y = X.clone();
    for (let i = 0; i < Y.rows; i++) Y.set(i, 1, 1000 + 50 * Y.get(i, 1));
    const a = new RBM({ visible: 'gaussian', epochs: 5, seed: 1 }).fit(X).energy(X);
    const b = new RBM({ visible: 'gaussian', epochs: 5, seed: 1 }).fit(Y).energy(Y);
    for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i] as number, 3);
  });

  it('fitAsync gives the same energies as fit, and loadModel restores them', async () => {
    const a = new RBM({ epochs: 3, seed: 6 }).fit(binary);
    const b = await new RBM({ epochs: 3, seed: 6 }).fitAsync(binary);
    expect(Array.from(b.energy(binary))).toEqual(Array.from(a.energy(binary)));
    const c = loadModel(JSON.stringify(a.toJSON()));
    expect(c).toBeInstanceOf(RBM);
    expect(Array.from(c.energy(binary))).toEqual(Array.from(a.energy(binary)));
    expect(a.hiddenUnits).toBe(12);
    expect(a.hasContributions).toBe(false);
  });

  it('rejects bad hyperparameters with ParameterError naming the option', () => {
    const bad: [Record<string, unknown>, string][] = [
      [{ visible: 'poisson' }, 'visible'],
      [{ method: 'ml' }, 'method'],
      [{ k: 0 }, 'k'],
      [{ nHidden: 0 }, 'nHidden'],
      [{ momentum: 1 }, 'momentum'],
      [{ learningRate: 0 }, 'learningRate'],
      [{ weightDecay: -1 }, 'weightDecay'],
      [{ standardize: true }, 'standardize'],
    ];
    for (const [opts, name] of bad) {
      expect(() => new RBM(opts as never)).toThrow(ParameterError);
      expect(() => new RBM(opts as never)).toThrow(new RegExp(`^RBM: ${name}`));
    }
  });
});
