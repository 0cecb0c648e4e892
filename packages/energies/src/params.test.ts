import { describe, expect, it } from 'vitest';
import { Autoencoder } from './autoencoder/Autoencoder.js';
import { EnsembleEnergy } from './ensemble/EnsembleEnergy.js';
import { GaussianDensity } from './gaussian/GaussianDensity.js';
import { HistogramDensity } from './histogram/HistogramDensity.js';
import { GaussianMixture } from './mixture/GaussianMixture.js';
import { RBM } from './rbm/RBM.js';
import { registerBuiltinModels } from './registration/registerBuiltinModels.js';

// the ensemble loads its members through `loadModel`, which needs the built-in kinds registered
registerBuiltinModels();

const X = Array.from({ length: 40 }, (_, i) => [Math.sin(i), (i % 5) / 5, Math.cos(i * 0.7)]);
const B = X.map((r) => r.map((v) => (v > 0.2 ? 1 : 0)));

/** A fitted model with non-default options, its class's declaration, and the options it was built with. */
const cases: [string, { params: { names: string[]; resolve(o: never): object } }, object, () => object][] = [
  ['GaussianDensity', GaussianDensity, { trim: 0.1 }, () => new GaussianDensity({ trim: 0.1 }).fit(X)],
  ['GaussianMixture', GaussianMixture, { nInit: 2 }, () => new GaussianMixture({ nInit: 2 }).fit(X)],
  [
    'HistogramDensity',
    HistogramDensity,
    { bins: 'auto' },
    () => new HistogramDensity({ bins: 'auto' }).fit(X),
  ],
  [
    'Autoencoder',
    Autoencoder,
    { epochs: 2, optimizer: 'sgd' },
    () => new Autoencoder({ epochs: 2, optimizer: 'sgd' }).fit(X),
  ],
  ['RBM', RBM, { epochs: 2, nHidden: 3 }, () => new RBM({ epochs: 2, nHidden: 3 }).fit(B)],
  [
    'EnsembleEnergy',
    EnsembleEnergy,
    { combine: 'max' },
    () => new EnsembleEnergy({ members: [new GaussianDensity()], combine: 'max' }).fit(X),
  ],
];

describe('declared hyperparameters', () => {
  it.each(cases)(
    '%s exposes every declared parameter as the declaration resolves it',
    (_, cls, options, make) => {
      const model = make() as Record<string, unknown>;
      const resolved = cls.params.resolve(options as never) as Record<string, unknown>;
      for (const name of cls.params.names) expect(model[name], name).toEqual(resolved[name]);
    },
  );

  it.each(cases)('%s saves the declared parameters and loads them back', (_, cls, options, make) => {
    const model = make() as { toJSON(): { config: Record<string, unknown> } };
    const config = model.toJSON().config;
    const again = (cls as unknown as { fromJSON(j: unknown): Record<string, unknown> }).fromJSON(
      model.toJSON(),
    );
    const resolved = cls.params.resolve(options as never) as Record<string, unknown>;
    for (const name of cls.params.names) {
      expect(again[name], name).toEqual(resolved[name]);
      if (resolved[name] !== undefined) expect(config[name], name).toEqual(resolved[name]);
    }
  });
});
