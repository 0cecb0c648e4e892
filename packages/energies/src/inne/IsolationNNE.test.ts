import { loadModel, ModelFormatError, ParameterError, ShapeError, ValueError } from '@nexus/ebm-core';
import { describeEnergyModelContract } from '@nexus/ebm-core/testing';
import { describe, expect, it } from 'vitest';
import { gaussianRows } from '../neighbours/gaussianRows.js';
import { registerBuiltinModels } from '../registration/registerBuiltinModels.js';
import { IsolationNNE } from './IsolationNNE.js';

// saved models below load through `loadModel`, which needs the built-in kinds registered
registerBuiltinModels();

describeEnergyModelContract('IsolationNNE', () => new IsolationNNE(), { describe, it });
describeEnergyModelContract(
  'IsolationNNE (t = 7, ψ = 3, raw units)',
  () => new IsolationNNE({ subsamples: 7, subsampleSize: 3, standardize: false }),
  { describe, it },
);

/** One sub-sample holding every row (ψ = n), raw units: the balls are those of the rows themselves. */
function whole(rows: number[][], ratio: 'radius' | 'squared' = 'radius'): IsolationNNE {
  return new IsolationNNE({ subsamples: 1, subsampleSize: rows.length, standardize: false, ratio }).fit(rows);
}

describe('IsolationNNE', () => {
  it('scores by the smallest covering ball: 1 − τ(η_c)/τ(c), 1 when uncovered', () => {
    // rows 0, 1, 3: τ(0) = 1 (η = 1), τ(1) = 1 (η = 0), τ(3) = 2 (η = 1) → scores 0, 0, 1 − 1/2
    const m = whole([[0], [1], [3]]);
    expect(m.energyOne([0.5])).toBe(0); // balls of 0 and 1 (equal radii; the earlier row's)
    expect(m.energyOne([4.5])).toBe(0.5); // only the ball of 3 (radius 2)
    expect(m.energyOne([5])).toBe(0.5); // on its boundary: covered
    expect(m.energyOne([5.0001])).toBe(1); // outside every ball
    expect(m.energyOne([-1])).toBe(0); // the ball of 0 (radius 1), not the wider one of 3
    expect(m.subsampleSizeUsed).toBe(3);
    // the default, as PyOD's INNE: the ratio of squared radii, 1 − 1²/2²
    const sq = whole([[0], [1], [3]], 'squared');
    expect(sq.energyOne([4.5])).toBe(0.75);
    expect(sq.energyOne([0.5])).toBe(0);
    expect(sq.energyOne([5.0001])).toBe(1);
    expect(new IsolationNNE().ratio).toBe('squared');
  });

  it('gives a ball around a duplicated row radius 0 and score 0; a row beside it takes the next ball', () => {
    // rows 0, 0, 5: τ = 0, 0, 5; the ball of 5 has η = the first 0 (τ 0) → score 1
    const m = whole([[0], [0], [5]]);
    expect(m.energyOne([0])).toBe(0);
    expect(m.energyOne([0.1])).toBe(1);
    expect(m.energyOne([2])).toBe(1);
    expect(m.energyOne([10.1])).toBe(1);
    // a sub-sample of identical rows: 0 at that row, 1 anywhere else (standardised: the column is constant)
    const same = new IsolationNNE({ subsamples: 3 }).fit([
      [2, 2],
      [2, 2],
      [2, 2],
      [2, 2],
    ]);
    expect(
      Array.from(
        same.energy([
          [2, 2],
          [2, 2.001],
        ]),
      ),
    ).toEqual([0, 1]);
  });

  it('is the mean over the sub-samples, in [0, 1], and far rows score 1', () => {
    const X = gaussianRows(1, 300, 3);
    const m = new IsolationNNE().fit(X, { seed: 2 });
    const e = m.energy(gaussianRows(3, 200, 3));
    for (const v of e) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
      // a mean of 200 scores each in [0, 1]: the grid of the mean is fine, but never outside
    }
    expect(m.energyOne([40, 40, 40])).toBe(1);
    // a central row is covered in most sub-samples: far below 1
    expect(m.energyOne([0, 0, 0])).toBeLessThan(0.6);
    expect(m.subsampleSizeUsed).toBe(8);
    expect(new IsolationNNE().fit(X.selectRows([0, 1, 2, 3, 4])).subsampleSizeUsed).toBe(5);
  });

  it('draws its sub-samples from the seed: same seed same energies, another seed others', () => {
    const X = gaussianRows(4, 200, 4);
    const T = gaussianRows(5, 50, 4);
    const a = new IsolationNNE().fit(X, { seed: 7 }).energy(T);
    const b = new IsolationNNE().fit(X, { seed: 7 }).energy(T);
    const c = new IsolationNNE().fit(X, { seed: 8 }).energy(T);
    const byOption = new IsolationNNE({ seed: 7 }).fit(X).energy(T);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(byOption)).toEqual(Array.from(a));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it("gives a row the same energy whatever batch it is scored in (across the scorer's blocks)", () => {
    const X = gaussianRows(6, 100, 2);
    const T = gaussianRows(7, 600, 2);
    const m = new IsolationNNE({ subsamples: 20 }).fit(X, { seed: 1 });
    const all = m.energy(T);
    const parts: number[] = [];
    for (let i = 0; i < 600; i += 97) {
      const idx = Array.from({ length: Math.min(97, 600 - i) }, (_, k) => i + k);
      parts.push(...m.energy(T.selectRows(idx)));
    }
    expect(parts).toEqual(Array.from(all));
    expect(m.energyOne(T.row(599))).toBe(all[599]);
  });

  it('saves the centres only and loads to identical energies', () => {
    const X = gaussianRows(8, 50, 3);
    const m = new IsolationNNE({ subsamples: 11 }).fit(X, { seed: 3 });
    const json = m.toJSON();
    expect((json.state.centres as number[]).length).toBe(11 * 8 * 3);
    expect(Object.keys(json.state).sort()).toEqual(
      ['centres', 'mean', 'nFeatures', 'seen', 'std', 'subsampleSize'].sort(),
    );
    const again = loadModel(JSON.stringify(json));
    expect(again).toBeInstanceOf(IsolationNNE);
    const T = gaussianRows(9, 30, 3);
    expect(Array.from(again.energy(T))).toEqual(Array.from(m.energy(T)));
    expect(JSON.stringify(again.toJSON())).toBe(JSON.stringify(json));
  });

  it('rejects bad options, too few rows, rows too large to square, and inconsistent saves', () => {
    expect(() => new IsolationNNE({ subsamples: 0 })).toThrow(ParameterError);
    expect(() => new IsolationNNE({ subsamples: 2.5 })).toThrow(/IsolationNNE: subsamples/);
    expect(() => new IsolationNNE({ subsampleSize: 1 })).toThrow(ParameterError);
    expect(() => new IsolationNNE({ standardize: 'yes' as never })).toThrow(ParameterError);
    expect(() => new IsolationNNE().fit([[1, 2]])).toThrow(ShapeError);
    expect(() => new IsolationNNE().fit([[1, 2]])).toThrow(
      /IsolationNNE\.fit: too few rows \(expected at least 2/,
    );
    expect(() => new IsolationNNE({ standardize: false }).fit([[1e200], [-1e200], [0]])).toThrow(ValueError);
    const json = new IsolationNNE({ subsamples: 4 }).fit(gaussianRows(10, 20, 2)).toJSON();
    const tamper = (f: (s: Record<string, unknown>) => void, config?: Record<string, unknown>): unknown => {
      const j = JSON.parse(JSON.stringify(json)) as {
        state: Record<string, unknown>;
        config: Record<string, unknown>;
      };
      f(j.state);
      Object.assign(j.config, config);
      return j;
    };
    expect(() => loadModel(tamper(() => undefined))).not.toThrow();
    expect(() => loadModel(tamper((s) => (s.subsampleSize = 7)))).toThrow(ModelFormatError);
    expect(() => loadModel(tamper((s) => (s.seen = 5)))).toThrow(/subsampleSize/);
    expect(() => loadModel(tamper(() => undefined, { subsamples: 5 }))).toThrow(ModelFormatError);
    expect(() => loadModel(tamper((s) => (s.centres = (s.centres as number[]).slice(1))))).toThrow(
      ModelFormatError,
    );
    expect(() => loadModel(tamper((s) => delete s.std))).toThrow(ModelFormatError);
    expect(() => loadModel(tamper((s) => ((s.std as number[])[0] = 0)))).toThrow(ModelFormatError);
    expect(() => loadModel(tamper((s) => ((s.centres as number[])[0] = 1e200)))).toThrow(/too large/);
  });
});
