import { Detector as CoreDetector, registeredKinds as coreKinds, toMatrix } from '@nexus/ebm-core';
import { BUILTIN_MODEL_KINDS } from '@nexus/ebm-energies';
import { describe, expect, it } from 'vitest';
import {
  Autoencoder,
  Detector,
  EnsembleEnergy,
  GaussianDensity,
  GaussianMixture,
  HistogramDensity,
  loadModel,
  RBM,
  registeredKinds,
} from '../index.js';

// Vitest gives every test file a fresh module graph, so nothing is registered before these tests run:
// importing the packages registers nothing (they are side-effect free); loading does it, explicitly.
const rows = Array.from({ length: 60 }, (_, i) => [Math.sin(i), Math.cos(i * 0.7), (i % 5) / 5]);
const X = toMatrix(rows);

describe('loading with the built-in energies registered by the caller, not by an import', () => {
  it('nothing is registered by importing @nexus/ebm', () => {
    expect(coreKinds()).toEqual([]);
  });

  it('Detector.fromJSON of @nexus/ebm registers the built-ins and restores its own class', () => {
    const det = new Detector({ model: new GaussianDensity(), falseAlarmRate: 0.1 }).fit(X, { seed: 1 });
    expect(coreKinds()).toEqual([]);
    const back = Detector.fromJSON(JSON.stringify(det.toJSON()));
    expect(back).toBeInstanceOf(Detector);
    expect(back).toBeInstanceOf(CoreDetector);
    expect(Array.from(back.score(X))).toEqual(Array.from(det.score(X)));
  });

  it('loadModel of @nexus/ebm loads every built-in kind', () => {
    const models = [
      new GaussianDensity(),
      new GaussianMixture({ nComponents: 2, seed: 1 }),
      new HistogramDensity(),
      new Autoencoder({ epochs: 2, seed: 1 }),
      new RBM({ epochs: 2, seed: 1, visible: 'gaussian' }),
      new EnsembleEnergy({ members: [new GaussianDensity(), new HistogramDensity()] }),
    ];
    for (const m of models) {
      m.fit(X, { seed: 1 });
      const back = loadModel(JSON.stringify(m.toJSON()));
      expect(back.kind).toBe(m.kind);
      expect(Array.from(back.energy(X))).toEqual(Array.from(m.energy(X)));
    }
    expect(registeredKinds()).toEqual([...BUILTIN_MODEL_KINDS].sort());
  });
});
