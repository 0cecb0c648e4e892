import { describe, expect, it } from 'vitest';
import { ParameterError } from '../errors.js';
import type { Matrix } from '../matrix/Matrix.js';
import { Matrix as M } from '../matrix/Matrix.js';
import { BaseEnergyModel, type FitContext } from '../model/BaseEnergyModel.js';
import type { ModelJSON } from '../model/EnergyModel.js';
import { readFloat64Array, readNumber } from '../model/jsonReaders.js';
import { registerModel } from '../model/registry.js';
import { describeEnergyModelContract, energyModelContractChecks } from './index.js';

interface ZState {
  mean: Float64Array;
  invVar: Float64Array;
}

/** A user's energy, written only against the public contract: ½ Σ ((x − μ) / σ)², split per feature. */
class ZScoreEnergy extends BaseEnergyModel<ZState> {
  readonly kind = 'test-zscore';
  readonly formatVersion = 1;
  readonly floor: number;

  constructor(options: { floor?: number; seed?: number } = {}) {
    super(options.seed);
    const floor = options.floor ?? 1e-6;
    if (!(floor > 0))
      throw new ParameterError(`ZScoreEnergy: floor must be positive (expected > 0, got ${floor})`);
    this.floor = floor;
  }

  protected fitImpl(X: Matrix, ctx: FitContext): ZState {
    const { rows, cols, data } = X;
    const mean = new Float64Array(cols);
    const invVar = new Float64Array(cols);
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < cols; j++) mean[j] = (mean[j] as number) + (data[i * cols + j] as number) / rows;
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const c = (data[i * cols + j] as number) - (mean[j] as number);
        invVar[j] = (invVar[j] as number) + (c * c) / rows;
      }
    }
    for (let j = 0; j < cols; j++) invVar[j] = 1 / ((invVar[j] as number) + this.floor);
    ctx.report({ epoch: 1, epochs: 1 });
    return { mean, invVar };
  }

  protected override contributionsImpl(X: Matrix, s: ZState): Matrix {
    const out = new M(X.rows, X.cols);
    for (let k = 0; k < X.data.length; k++) {
      const j = k % X.cols;
      const c = (X.data[k] as number) - (s.mean[j] as number);
      out.data[k] = 0.5 * c * c * (s.invVar[j] as number);
    }
    return out;
  }

  protected energyImpl(X: Matrix, s: ZState): Float64Array {
    const c = this.contributionsImpl(X, s);
    const e = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++) {
      let t = 0;
      for (let j = 0; j < X.cols; j++) t += c.data[i * X.cols + j] as number;
      e[i] = t;
    }
    return e;
  }

  protected configToJSON(): Record<string, unknown> {
    return { floor: this.floor };
  }

  protected stateToJSON(s: ZState): Record<string, unknown> {
    return { mean: Array.from(s.mean), invVar: Array.from(s.invVar) };
  }

  static fromJSON(json: ModelJSON): ZScoreEnergy {
    const api = 'ZScoreEnergy.fromJSON';
    const m = new ZScoreEnergy({ floor: readNumber(json.config, 'floor', api, { min: 1e-300 }) });
    return m.restore(json, api, (s, d) => ({
      mean: readFloat64Array(s, 'mean', d, api),
      invVar: readFloat64Array(s, 'invVar', d, api),
    }));
  }
}
registerModel('test-zscore', (json) => ZScoreEnergy.fromJSON(json));

/** A model without contributions and with a random step, to exercise the seed and the unsupported path. */
class RandomCenter extends BaseEnergyModel<Float64Array> {
  readonly kind = 'test-random-center';
  readonly formatVersion = 1;
  constructor(seed?: number) {
    super(seed);
  }
  protected fitImpl(X: Matrix, ctx: FitContext): Float64Array {
    return X.row(ctx.rng.int(X.rows)).slice();
  }
  protected energyImpl(X: Matrix, c: Float64Array): Float64Array {
    const e = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++) {
      let s = 0;
      for (let j = 0; j < X.cols; j++) s += ((X.data[i * X.cols + j] as number) - (c[j] as number)) ** 2;
      e[i] = s;
    }
    return e;
  }
  protected configToJSON(): Record<string, unknown> {
    return {};
  }
  protected stateToJSON(c: Float64Array): Record<string, unknown> {
    return { center: Array.from(c) };
  }
  static fromJSON(json: ModelJSON): RandomCenter {
    const api = 'RandomCenter.fromJSON';
    const seed = json.config.seed;
    return new RandomCenter(typeof seed === 'number' ? seed : undefined).restore(json, api, (s, d) =>
      readFloat64Array(s, 'center', d, api),
    );
  }
}
registerModel('test-random-center', (json) => RandomCenter.fromJSON(json));

describeEnergyModelContract('a user-defined ZScoreEnergy', () => new ZScoreEnergy(), { describe, it });
describeEnergyModelContract('a user-defined RandomCenter', () => new RandomCenter(3), { describe, it });

describe('the contract suite catches broken models', () => {
  it('flags a model whose energy depends on the batch', () => {
    class BatchDependent extends RandomCenter {
      protected override energyImpl(X: Matrix, c: Float64Array): Float64Array {
        const e = super.energyImpl(X, c);
        for (let i = 0; i < e.length; i++) e[i] = (e[i] as number) + X.rows;
        return e;
      }
    }
    const check = energyModelContractChecks(() => new BatchDependent(1)).find((c) =>
      c.name.includes('batch'),
    );
    expect(check).toBeDefined();
    expect(() => check?.run()).toThrow(/contract violated/);
  });

  it('flags contributions that do not sum to the energy', () => {
    class Off extends ZScoreEnergy {
      protected override energyImpl(X: Matrix, s: ZState): Float64Array {
        const e = super.energyImpl(X, s);
        for (let i = 0; i < e.length; i++) e[i] = (e[i] as number) + 1;
        return e;
      }
    }
    const check = energyModelContractChecks(() => new Off()).find((c) => c.name.includes('contributions'));
    expect(() => check?.run()).toThrow(/sum to/);
  });

  it('flags a model that does not round-trip through loadModel', () => {
    class Lossy extends ZScoreEnergy {
      protected override stateToJSON(s: ZState): Record<string, unknown> {
        return { mean: Array.from(s.mean, (v) => Math.round(v)), invVar: Array.from(s.invVar) };
      }
    }
    const check = energyModelContractChecks(() => new Lossy()).find((c) => c.name.includes('save'));
    expect(() => check?.run()).toThrow(/contract violated/);
  });
});
