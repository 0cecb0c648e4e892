import { InputTypeError } from '@nexus/ebm-core';
import { describe, expect, it } from 'vitest';
import { Autoencoder } from './autoencoder/Autoencoder.js';
import { GaussianDensity } from './gaussian/GaussianDensity.js';
import { HistogramDensity } from './histogram/HistogramDensity.js';
import { IsolationNNE } from './inne/IsolationNNE.js';
import { KernelDensity } from './kde/KernelDensity.js';
import { KnnDensity } from './knn/KnnDensity.js';
import { GaussianMixture } from './mixture/GaussianMixture.js';
import { RBM } from './rbm/RBM.js';

const constructors: [string, (o: never) => unknown][] = [
  ['GaussianDensity', (o) => new GaussianDensity(o)],
  ['GaussianMixture', (o) => new GaussianMixture(o)],
  ['HistogramDensity', (o) => new HistogramDensity(o)],
  ['KnnDensity', (o) => new KnnDensity(o)],
  ['KernelDensity', (o) => new KernelDensity(o)],
  ['IsolationNNE', (o) => new IsolationNNE(o)],
  ['Autoencoder', (o) => new Autoencoder(o)],
  ['RBM', (o) => new RBM(o)],
];

describe('energy constructors', () => {
  it.each(constructors)(
    '%s rejects options that are not an object with a clear InputTypeError',
    (name, make) => {
      for (const bad of [null, 5, 'full', true]) {
        expect(() => make(bad as never)).toThrow(InputTypeError);
        expect(() => make(bad as never)).toThrow(
          new RegExp(`^${name}: options must be an object \\(expected an object, got `),
        );
      }
    },
  );
});
