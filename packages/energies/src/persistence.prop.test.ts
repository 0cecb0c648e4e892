import { type EnergyModel, loadModel, ModelFormatError, Rng } from '@nexus/ebm-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GaussianDensity } from './gaussian/GaussianDensity.js';
import { HistogramDensity } from './histogram/HistogramDensity.js';
import { IsolationNNE } from './inne/IsolationNNE.js';
import { KernelDensity } from './kde/KernelDensity.js';
import { KnnDensity } from './knn/KnnDensity.js';
import { GaussianMixture } from './mixture/GaussianMixture.js';
import { registerBuiltinModels } from './registration/registerBuiltinModels.js';

// saved models below load through `loadModel`, which needs the built-in kinds registered
registerBuiltinModels();

const rng = new Rng(5);
const X = Array.from({ length: 40 }, () => [rng.normal(), rng.normal() * 2, rng.normal() + 1]);
const saved: Record<string, Record<string, unknown>> = {
  gaussian: new GaussianDensity().fit(X).toJSON() as unknown as Record<string, unknown>,
  'ledoit-wolf': new GaussianDensity({ covariance: 'ledoit-wolf' }).fit(X).toJSON() as unknown as Record<
    string,
    unknown
  >,
  mixture: new GaussianMixture({ nComponents: 2 }).fit(X, { seed: 1 }).toJSON() as unknown as Record<
    string,
    unknown
  >,
  histogram: new HistogramDensity({ bins: 6 }).fit(X).toJSON() as unknown as Record<string, unknown>,
  knn: new KnnDensity().fit(X).toJSON() as unknown as Record<string, unknown>,
  kde: new KernelDensity().fit(X).toJSON() as unknown as Record<string, unknown>,
  inne: new IsolationNNE({ subsamples: 5 }).fit(X, { seed: 1 }).toJSON() as unknown as Record<
    string,
    unknown
  >,
};

describe('saved density models under corruption', () => {
  it('replacing any config or state field with arbitrary JSON loads a working model or throws ModelFormatError', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(saved)),
        fc.constantFrom('config', 'state'),
        fc.nat(),
        fc.jsonValue({ maxDepth: 2 }),
        (which, part, pick, value) => {
          const json = JSON.parse(JSON.stringify(saved[which])) as Record<string, Record<string, unknown>>;
          const section = json[part] as Record<string, unknown>;
          const keys = Object.keys(section);
          section[keys[pick % keys.length] as string] = value;
          let model: EnergyModel | undefined;
          try {
            model = loadModel(JSON.stringify(json));
          } catch (e) {
            expect(e).toBeInstanceOf(ModelFormatError);
            return;
          }
          const e = model.energy(X);
          for (const v of e) expect(Number.isNaN(v)).toBe(false);
        },
      ),
      { numRuns: 200, seed: 23 },
    );
  });
});
