import { loadModel, type ModelJSON, registeredKinds, registerModel, toMatrix } from '@nexus/ebm-core';
import { describe, expect, it } from 'vitest';
import { GaussianDensity } from '../gaussian/GaussianDensity.js';
import { BUILTIN_MODEL_KINDS, registerBuiltinModels } from './registerBuiltinModels.js';

const X = toMatrix(Array.from({ length: 40 }, (_, i) => [Math.sin(i), Math.cos(i)]));

describe('registerBuiltinModels', () => {
  it('importing the energies registers nothing; loadModel then names the way to register', () => {
    expect(registeredKinds()).toEqual([]);
    const json = new GaussianDensity().fit(X).toJSON();
    expect(() => loadModel(json)).toThrow(/unknown model kind.*registerBuiltinModels\(\).*got "gaussian"/);
  });

  it('registers every built-in kind once, and leaves a kind the user registered first alone', () => {
    const mine = (json: ModelJSON) => {
      const m = GaussianDensity.fromJSON({ ...json, kind: 'gaussian' });
      Object.defineProperty(m, 'mine', { value: true });
      return m;
    };
    registerModel('histogram', mine);
    registerBuiltinModels();
    registerBuiltinModels();
    expect(registeredKinds()).toEqual([...BUILTIN_MODEL_KINDS].sort());
    const g = new GaussianDensity().fit(X);
    expect(Array.from(loadModel(JSON.stringify(g.toJSON())).energy(X))).toEqual(Array.from(g.energy(X)));
    const asHistogram = { ...g.toJSON(), kind: 'histogram' };
    expect((loadModel(asHistogram) as unknown as { mine?: boolean }).mine).toBe(true);
  });
});
