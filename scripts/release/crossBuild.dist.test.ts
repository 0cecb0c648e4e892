/**
 * The CJS and ESM builds of the same packages in one process (a dual-package hazard users meet when one
 * dependency `require`s the library and another `import`s it): values made by one build are accepted by
 * the other (brand checks through `Symbol.for` keys, not `instanceof`), and the built classes keep their
 * names, so messages read `GaussianDensity.fit: …`.
 */
import { createRequire } from 'node:module';
import * as esm from '@nexus/ebm';
import * as esmExtend from '@nexus/ebm/extend';
import type * as esmCore from '@nexus/ebm-core';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const cjs = require('@nexus/ebm') as typeof esm;
const cjsCore = require('@nexus/ebm-core') as typeof esmCore;

const rows = Array.from({ length: 80 }, (_, i) => [Math.sin(i), Math.cos(i * 0.3), (i % 7) / 7]);

describe('CJS and ESM builds together', () => {
  it('are two copies (the hazard is real)', () => {
    expect(cjs.Matrix).not.toBe(esm.Matrix);
    expect(cjsCore.Matrix).toBe(cjs.Matrix);
  });

  it('a Matrix made by the CJS build is a Matrix to the ESM build, and back', () => {
    const m = cjs.toMatrix(rows);
    expect(esm.Matrix.isMatrix(m)).toBe(true);
    expect(esm.toMatrix(m)).toBe(m);
    expect(cjs.Matrix.isMatrix(esm.toMatrix(rows))).toBe(true);
    expect(esm.Matrix.isMatrix({ rows: 1, cols: 1, data: new Float64Array(1) })).toBe(false);
    const g = new esm.GaussianDensity().fit(m);
    expect(Array.from(g.energy(m))).toEqual(Array.from(new esm.GaussianDensity().fit(rows).energy(rows)));
    const C = g.contributions(cjs.toMatrix(rows.slice(0, 3)));
    expect(C.rows).toBe(3);
  });

  it('a model made by the CJS build drives the ESM Detector, explain and merge', () => {
    const model = new cjs.GaussianDensity().fit(rows);
    const det = new esm.Detector({ model, falseAlarmRate: 0.1 }).fit(rows, { seed: 1 });
    expect(det.score(rows).length).toBe(rows.length);
    const why = esm.explain(model, cjs.toMatrix(rows.slice(0, 2)));
    expect(why.method).toBe('exact');
    const merged = esm.GaussianDensity.merge(
      new esm.GaussianDensity().fit(rows.slice(0, 40)),
      new cjs.GaussianDensity().fit(rows.slice(40)),
    );
    expect(merged.fitted).toBe(true);
    const saved = esm.loadModel(cjs.loadModel(JSON.stringify(model.toJSON())).toJSON());
    expect(Array.from(saved.energy(rows))).toEqual(Array.from(model.energy(rows)));
  });

  it('built classes keep their names, and so do the messages', () => {
    for (const [name, value] of [
      ...Object.entries(esm),
      ...Object.entries(cjs),
      ...Object.entries(esmExtend),
    ]) {
      if (typeof value === 'function' && /^[A-Z]/.test(name)) expect(value.name, name).toBe(name);
    }
    for (const lib of [esm, cjs]) {
      expect(() => new lib.GaussianDensity().fit([[Number.NaN, 1]])).toThrow(/^GaussianDensity\.fit: /);
      expect(() => new lib.Autoencoder().energy([[1]])).toThrow(/^Autoencoder\.energy: /);
      expect(() => new lib.Matrix(-1, 1)).toThrow(/^Matrix: /);
    }
  });
});
