/**
 * A user's energy for the parallel tests, written only against the public contract: the squared distance
 * to the training mean, weighted per feature by 1 + |sin(j)| (so a wrong column order would show).
 * Importing this module registers its kind, as a user's module would.
 */
import { BaseEnergyModel, type Matrix, type ModelJSON, registerModel } from '@nexus/ebm-core';
import { readFloat64Array } from '@nexus/ebm-core/extend';

export class WeightedDistance extends BaseEnergyModel<Float64Array> {
  readonly kind = 'test-weighted-distance';
  readonly formatVersion = 1;

  protected fitImpl(X: Matrix): Float64Array {
    const mean = new Float64Array(X.cols);
    for (let i = 0; i < X.rows; i++)
      for (let j = 0; j < X.cols; j++)
        mean[j] = (mean[j] as number) + (X.data[i * X.cols + j] as number) / X.rows;
    return mean;
  }

  protected energyImpl(X: Matrix, mean: Float64Array): Float64Array {
    const e = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++) {
      let t = 0;
      for (let j = 0; j < X.cols; j++) {
        const d = (X.data[i * X.cols + j] as number) - (mean[j] as number);
        t += (1 + Math.abs(Math.sin(j))) * d * d;
      }
      e[i] = t;
    }
    return e;
  }

  protected configToJSON(): Record<string, unknown> {
    return {};
  }

  protected stateToJSON(mean: Float64Array): Record<string, unknown> {
    return { mean: Array.from(mean) };
  }

  static fromJSON(json: ModelJSON): WeightedDistance {
    const api = 'WeightedDistance.fromJSON';
    return new WeightedDistance().restore(json, api, (s, d) => readFloat64Array(s, 'mean', d, api));
  }
}

registerModel('test-weighted-distance', (json) => WeightedDistance.fromJSON(json));
