import { type EnergyModel, loadModel, ModelFormatError, Rng } from '@nexus/ebm-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GaussianMixture } from '../mixture/GaussianMixture.js';
import { GaussianDensity } from './GaussianDensity.js';

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
};

describe('saved Gaussian models under corruption', () => {
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
      { numRuns: 150, seed: 23 },
    );
  });
});
