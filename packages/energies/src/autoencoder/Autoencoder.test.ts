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
} from '@nexus/ebm-core';
import { getWasmBackend, tsBackend } from '@nexus/ebm-core/kernels';
import { describeEnergyModelContract } from '@nexus/ebm-core/testing';
import { getWasmRuntime, type WasmRuntime } from '@nexus/ebm-core/wasm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { RBM } from '../rbm/RBM.js';
import { registerBuiltinModels } from '../registration/registerBuiltinModels.js';
import { Autoencoder, defaultHiddenSizes } from './Autoencoder.js';
import {
  ACTIVATIONS,
  getAutoencoderKernels,
  setAutoencoderKernels,
  tsAutoencoderKernels,
  wasmAutoencoderKernels,
} from './kernels.js';

// saved models below load through `loadModel`, which needs the built-in kinds registered
registerBuiltinModels();

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

/** Rank-r data plus noise; anomalies are Gaussian rows with the same per-feature scale, off the subspace. */
function lowRank(
  rng: Rng,
  n: number,
  d: number,
  r: number,
  outlierFraction: number,
  basis: Float64Array,
): { X: Matrix; y: Uint8Array } {
  const X = new Matrix(n, d);
  const y = new Uint8Array(n);
  const z = new Float64Array(r);
  for (let i = 0; i < n; i++) {
    const out = rng.uniform() < outlierFraction;
    y[i] = out ? 1 : 0;
    rng.fillNormal(z);
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let k = 0; k < r; k++) s += (z[k] as number) * (basis[k * d + j] as number);
      X.data[i * d + j] = out ? Math.sqrt(r) * rng.normal() : s + 0.1 * rng.normal();
    }
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
      'Autoencoder',
      () => new Autoencoder({ epochs: 15, batchSize: 16, seed: 3 }),
      {
        describe,
        it,
      },
    );

    describeEnergyModelContract(
      'Autoencoder (ReLU, SGD, dropout, input noise, no standardisation)',
      () =>
        new Autoencoder({
          activation: 'relu',
          optimizer: 'sgd',
          dropout: 0.1,
          inputNoise: 0.05,
          standardize: false,
          epochs: 10,
          batchSize: 16,
        }),
      { describe, it },
    );
  });
}

describe('Autoencoder kernel selection', () => {
  afterEach(() => {
    setBackend(defaultBackend);
    setAutoencoderKernels('auto');
  });

  it('follows the kernel backend unless kernels were installed', () => {
    setBackend('ts');
    expect(getAutoencoderKernels()).toBe(tsAutoencoderKernels);
    const wasm = wasmBackend;
    if (wasm !== undefined) {
      expect(useFastestBackend()).toBe(wasm);
      expect(getAutoencoderKernels()).toBe(wasmAutoencoderKernels);
      setAutoencoderKernels('ts');
      expect(getAutoencoderKernels()).toBe(tsAutoencoderKernels);
      setAutoencoderKernels('auto');
      expect(getAutoencoderKernels()).toBe(wasmAutoencoderKernels);
    }
  });

  it('follows the default backend, and uses the TypeScript kernels under EBM_BACKEND=ts whatever the backend', () => {
    expect(getAutoencoderKernels()).toBe(
      defaultBackend.name === 'wasm' ? wasmAutoencoderKernels : tsAutoencoderKernels,
    );
    vi.stubEnv('EBM_BACKEND', 'ts');
    try {
      setBackend(getWasmBackend() ?? 'ts');
      expect(getAutoencoderKernels()).toBe(tsAutoencoderKernels);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it.skipIf(wasmBackend === undefined)(
    'trains on a resident WebAssembly session exactly as with the per-step wasm kernels (noise, dropout, validation)',
    () => {
      const rng = new Rng(8);
      const { X } = clusters(rng, 400, 6, 0.05);
      const opts = {
        epochs: 4,
        batchSize: 48,
        seed: 6,
        inputNoise: 0.05,
        dropout: 0.1,
        validationFraction: 0.2,
        clipNorm: 5,
      };
      setBackend(wasmBackend as KernelBackend);
      const losses: number[] = [];
      const resident = new Autoencoder(opts).fit(X, { onProgress: (p) => losses.push(p.loss ?? 0) });
      setAutoencoderKernels({ ...wasmAutoencoderKernels, name: 'wasm (per step)' });
      const perStepLosses: number[] = [];
      const perStep = new Autoencoder(opts).fit(X, { onProgress: (p) => perStepLosses.push(p.loss ?? 0) });
      expect(resident.toJSON().state).toEqual(perStep.toJSON().state);
      expect(losses).toEqual(perStepLosses);
      expect(Array.from(resident.energy(X))).toEqual(Array.from(perStep.energy(X)));
    },
  );

  it.skipIf(wasmBackend === undefined)(
    'dispose releases the WebAssembly scoring buffers; the model stays usable, and refits release them too',
    () => {
      const rng = new Rng(12);
      const { X } = clusters(rng, 300, 5, 0.05);
      setBackend(wasmBackend as KernelBackend);
      const heap = (getWasmRuntime() as WasmRuntime).heap;
      const ae = new Autoencoder({ epochs: 2, seed: 1 }).fit(X);
      const before = heap.bytesInUse;
      const e1 = ae.energy(X);
      expect(heap.bytesInUse).toBeGreaterThan(before); // the resident scorer
      ae.dispose();
      expect(heap.bytesInUse).toBe(before);
      expect(Array.from(ae.energy(X))).toEqual(Array.from(e1));
      ae.fit(X); // replaces the state and releases the old state's scorer
      expect(heap.bytesInUse).toBe(before);
      ae.dispose();
      ae.dispose();
      expect(heap.bytesInUse).toBe(before);
    },
  );

  it.skipIf(wasmBackend === undefined)(
    '1,000 fit/score/dispose cycles of autoencoders and RBMs do not grow WebAssembly memory',
    () => {
      setBackend(wasmBackend as KernelBackend);
      const heap = (getWasmRuntime() as WasmRuntime).heap;
      const rng = new Rng(13);
      const X = new Matrix(
        12,
        3,
        Float64Array.from({ length: 36 }, () => rng.uniform()),
      );
      const cycle = (i: number): void => {
        const ae = new Autoencoder({ hiddenSizes: [2], epochs: 1, batchSize: 4, seed: i }).fit(X);
        ae.energy(X);
        ae.dispose();
        const rbm = new RBM({ nHidden: 2, epochs: 1, batchSize: 4, seed: i }).fit(X);
        rbm.energy(X);
        rbm.dispose();
      };
      cycle(0);
      const reserved = heap.bytesReserved;
      const inUse = heap.bytesInUse;
      for (let i = 1; i <= 1000; i++) cycle(i);
      expect(heap.bytesInUse).toBe(inUse);
      expect(heap.bytesReserved).toBe(reserved);
    },
  );

  it.skipIf(wasmBackend === undefined)('gives nearly the same energies with both backends', () => {
    const rng = new Rng(5);
    const { X } = clusters(rng, 300, 6, 0.05);
    const energies = (backend: KernelBackend): Float64Array => {
      setBackend(backend);
      const ae = new Autoencoder({ epochs: 5, batchSize: 32, seed: 11 });
      return ae.fit(X).energy(X);
    };
    const ts = energies(tsBackend);
    const wasm = energies(wasmBackend as KernelBackend);
    let scale = 0;
    for (const e of ts) scale = Math.max(scale, Math.abs(e));
    for (let i = 0; i < ts.length; i++) {
      expect(Math.abs((wasm[i] as number) - (ts[i] as number))).toBeLessThanOrEqual(1e-3 * scale);
    }
  });
});

describe('Autoencoder quality floor (PyOD-style synthetic data, unsupervised training on contaminated data)', () => {
  it('ranks uniform outliers above two-cluster inliers (ROC-AUC ≥ 0.9 on every seed)', () => {
    for (const seed of [1, 2, 3]) {
      const rng = new Rng(seed);
      const train = clusters(rng, 600, 6, 0.05);
      const test = clusters(rng, 400, 6, 0.1);
      const ae = new Autoencoder({ epochs: 40, seed });
      ae.fit(train.X);
      expect(rocAuc(test.y, ae.energy(test.X))).toBeGreaterThanOrEqual(0.9);
    }
  });

  it('ranks off-subspace rows above low-rank rows (ROC-AUC ≥ 0.9 on every seed)', () => {
    for (const seed of [4, 5]) {
      const rng = new Rng(seed);
      const basis = rng.fillNormal(new Float64Array(3 * 12));
      const train = lowRank(rng, 800, 12, 3, 0.05, basis);
      const test = lowRank(rng, 400, 12, 3, 0.1, basis);
      const ae = new Autoencoder({ epochs: 40, seed });
      ae.fit(train.X);
      expect(rocAuc(test.y, ae.energy(test.X))).toBeGreaterThanOrEqual(0.9);
    }
  });
});

describe('Autoencoder training', () => {
  const rng = new Rng(11);
  const data = clusters(rng, 300, 5, 0).X;

  it('derives the default network from the feature count', () => {
    expect(defaultHiddenSizes(64)).toEqual([32, 8]);
    expect(defaultHiddenSizes(3)).toEqual([2, 1]);
    expect(defaultHiddenSizes(1)).toEqual([1]);
    expect(new Autoencoder({ epochs: 1 }).fit(data).layerSizes).toEqual([5, 3, 1, 3, 5]);
    expect(new Autoencoder({ epochs: 1, hiddenSizes: [4, 2] }).fit(data).layerSizes).toEqual([5, 4, 2, 4, 5]);
  });

  it('reports loss, validation loss and samples/s once per epoch, and the loss goes down', () => {
    const seen: Progress[] = [];
    new Autoencoder({ epochs: 12, patience: 0, seed: 1 }).fit(data, { onProgress: (p) => seen.push(p) });
    expect(seen.map((p) => p.epoch)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    for (const p of seen) {
      expect(p.epochs).toBe(12);
      expect(Number.isFinite(p.loss)).toBe(true);
      expect(Number.isFinite(p.valLoss)).toBe(true);
      expect(p.samplesPerSecond).toBeGreaterThan(0);
    }
    expect((seen[11] as Progress).loss).toBeLessThan((seen[0] as Progress).loss as number);
  });

  it('stops early after `patience` epochs without improvement and restores the best weights', () => {
    const seen: Progress[] = [];
    const n = data.rows;
    const opts = { epochs: 400, patience: 3, learningRate: 0.05, validationFraction: 0.2, seed: 5 } as const;
    const ae = new Autoencoder(opts).fit(data, { onProgress: (p) => seen.push(p) });
    expect(seen.length).toBeLessThan(400);
    const vals = seen.map((p) => p.valLoss as number);
    const best = Math.min(...vals);
    const bestEpoch = vals.indexOf(best) + 1;
    expect(seen.length).toBe(bestEpoch + 3);
    // The split is the first draw of the fit's generator: a permutation whose first ⌊0.2·n⌋ rows validate.
    const perm = new Rng(5).permutation(n);
    const val = data.selectRows(perm.slice(0, Math.floor(0.2 * n)));
    const e = ae.energy(val);
    const mean = e.reduce((a, b) => a + b, 0) / e.length;
    expect(mean).toBeCloseTo(best, 10);
    const last = new Autoencoder({ ...opts, restoreBest: false }).fit(data).energy(val);
    expect(last.reduce((a, b) => a + b, 0) / last.length).toBeCloseTo(vals[vals.length - 1] as number, 10);
  });

  it('trains with every activation, both initialisations and both optimisers', () => {
    for (const activation of ACTIVATIONS) {
      for (const optimizer of ['adam', 'sgd'] as const) {
        const seen: number[] = [];
        const ae = new Autoencoder({
          activation,
          optimizer,
          init: 'xavier',
          epochs: 8,
          patience: 0,
          seed: 2,
        });
        ae.fit(data, { onProgress: (p) => seen.push(p.loss as number) });
        expect(seen[seen.length - 1]).toBeLessThan(seen[0] as number);
      }
    }
    expect(
      new Autoencoder({ init: 'he', activation: 'tanh', epochs: 2 })
        .fit(data)
        .energy(data)
        .every(Number.isFinite),
    ).toBe(true);
  });

  it('weight decay shrinks the weights', () => {
    const norm = (ae: Autoencoder): number =>
      (ae.toJSON().state.params as number[]).reduce((s, v) => s + v * v, 0);
    const plain = new Autoencoder({ epochs: 20, seed: 1 }).fit(data);
    const decayed = new Autoencoder({ epochs: 20, seed: 1, weightDecay: 0.5 }).fit(data);
    expect(norm(decayed)).toBeLessThan(norm(plain));
  });

  it('input noise, dropout and clipping change training but stay deterministic under a seed', () => {
    const base = new Autoencoder({ epochs: 5, seed: 9 }).fit(data).energy(data);
    for (const extra of [{ inputNoise: 0.2 }, { dropout: 0.3 }, { clipNorm: 0.01 }]) {
      const a = new Autoencoder({ epochs: 5, seed: 9, ...extra }).fit(data).energy(data);
      const b = new Autoencoder({ epochs: 5, ...extra }).fit(data, { seed: 9 }).energy(data);
      expect(Array.from(a)).toEqual(Array.from(b));
      expect(Array.from(a)).not.toEqual(Array.from(base));
    }
  });

  it('contributions are (x_j − x̂_j)²/d and sum to the energy bit for bit', () => {
    const ae = new Autoencoder({ epochs: 5, seed: 1 }).fit(data);
    const c = ae.contributions(data);
    const e = ae.energy(data);
    for (let i = 0; i < data.rows; i++) {
      let s = 0;
      for (let j = 0; j < data.cols; j++) {
        expect(c.get(i, j)).toBeGreaterThanOrEqual(0);
        s += c.get(i, j);
      }
      expect(s).toBe(e[i]);
    }
  });

  it('fitAsync gives the same energies as fit', async () => {
    const a = new Autoencoder({ epochs: 4, seed: 6 }).fit(data).energy(data);
    const b = (await new Autoencoder({ epochs: 4, seed: 6 }).fitAsync(data)).energy(data);
    expect(Array.from(b)).toEqual(Array.from(a));
  });

  it('a diverging fit is a clear error, not NaN energies', () => {
    const wild = new Matrix(
      50,
      2,
      new Float64Array(100).map((_, i) => (i % 7) * 1e6),
    );
    expect(() =>
      new Autoencoder({
        activation: 'linear',
        optimizer: 'sgd',
        learningRate: 10,
        standardize: false,
        epochs: 50,
      }).fit(wild),
    ).toThrow(/Autoencoder\.fit: training diverged/);
  });

  it('loads through the registry', () => {
    const ae = new Autoencoder({ epochs: 3, seed: 1 }).fit(data);
    const again = loadModel(JSON.stringify(ae.toJSON()));
    expect(again).toBeInstanceOf(Autoencoder);
    expect(Array.from(again.energy(data))).toEqual(Array.from(ae.energy(data)));
  });

  it("epochs 'auto' (the default) runs clamp(round(50,000 / n), 10, 30) epochs, as asking for that number", () => {
    const seen: number[] = [];
    // 300 rows → 30 epochs at most; no early stopping so every epoch runs
    const ae = new Autoencoder({ patience: 0, seed: 2 }).fit(data, {
      onProgress: (p) => seen.push(p.epochs),
    });
    expect(seen).toHaveLength(30);
    expect(new Set(seen)).toEqual(new Set([30]));
    const explicit = new Autoencoder({ patience: 0, seed: 2, epochs: 30 }).fit(data);
    expect(Array.from(explicit.energy(data))).toEqual(Array.from(ae.energy(data)));
    const again = loadModel(JSON.stringify(ae.toJSON()));
    expect(Array.from(again.energy(data))).toEqual(Array.from(ae.energy(data)));
  });

  it('rejects bad hyperparameters with ParameterError naming the option', () => {
    const bad: [Record<string, unknown>, string][] = [
      [{ hiddenSizes: [] }, 'hiddenSizes'],
      [{ hiddenSizes: [4, 0] }, 'hiddenSizes[1]'],
      [{ activation: 'gelu' }, 'activation'],
      [{ init: 'lecun' }, 'init'],
      [{ optimizer: 'rmsprop' }, 'optimizer'],
      [{ learningRate: -1 }, 'learningRate'],
      [{ dropout: 1 }, 'dropout'],
      [{ validationFraction: 1 }, 'validationFraction'],
      [{ batchSize: 0 }, 'batchSize'],
      [{ epochs: 1.5 }, 'epochs'],
      [{ epochs: 'many' }, 'epochs'],
      [{ inputNoise: Number.NaN }, 'inputNoise'],
      [{ standardize: 'yes' }, 'standardize'],
    ];
    for (const [opts, name] of bad) {
      expect(() => new Autoencoder(opts as never)).toThrow(ParameterError);
      expect(() => new Autoencoder(opts as never)).toThrow(
        new RegExp(`^Autoencoder: ${name.replace(/[[\]]/g, '\\$&')}`),
      );
    }
  });
});

describe('Autoencoder energy: the finiteness check in the same pass as the conversion', () => {
  afterEach(() => setAutoencoderKernels('auto'));
  const rng = new Rng(21);
  const d = 7; // odd: the conversion's scalar tail reads the last column
  const train = new Matrix(300, d, rng.fillNormal(new Float64Array(300 * d), 0, 1));
  const X = new Matrix(2500, d, rng.fillNormal(new Float64Array(2500 * d), 0, 1)); // > 2 conversion chunks
  for (const kernels of ['ts', 'wasm'] as const) {
    for (const standardize of [true, false]) {
      it(`${kernels} kernels, standardize ${standardize}: the same energies and the same error as a separate scan`, () => {
        if (kernels === 'wasm' && wasmBackend === undefined) return;
        setAutoencoderKernels(kernels === 'ts' ? 'ts' : wasmAutoencoderKernels);
        const model = new Autoencoder({ hiddenSizes: [4], epochs: 1, seed: 2, standardize }).fit(train);
        const clean = model.energy(X);
        expect(Array.from(clean)).toEqual(Array.from(model.energyOfCheckedRows(X))); // energyImpl after a scan
        for (const [row, col, v] of [
          [0, 0, Number.NaN],
          [1500, 6, Number.POSITIVE_INFINITY], // a later chunk, the tail column
          [2499, 3, Number.NEGATIVE_INFINITY],
        ] as const) {
          const Y = new Matrix(X.rows, d, X.data.slice());
          Y.data[row * d + col] = v;
          Y.data[2499 * d + 6] = Number.NaN; // a later bad value must not be the one reported
          expect(() => model.energy(Y)).toThrow(
            `Autoencoder.energy: non-finite value at row ${row}, column ${col} (expected a finite number, got ${v})`,
          );
        }
        expect(Array.from(model.energy(X))).toEqual(Array.from(clean)); // the session is still usable
      });
    }
  }
});
