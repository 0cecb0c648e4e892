/**
 * Test fixtures shared by the model tests (not exported from the package).
 *
 * @module
 */
import type { Matrix } from '../matrix/Matrix.js';
import { BaseEnergyModel } from './BaseEnergyModel.js';
import type { ModelJSON } from './EnergyModel.js';
import { readFloat64Array } from './jsonReaders.js';
import { registerModel } from './registry.js';

/**
 * The smallest real energy: squared distance to the training mean. Registered as `test-norm`, so saved
 * detectors holding it load.
 *
 * @example
 * ```ts
 * new NormModel().fit([[0], [2]]).energyOne([3]); // 4
 * ```
 */
export class NormModel extends BaseEnergyModel<Float64Array> {
  readonly kind: string = 'test-norm';
  readonly formatVersion: number = 1;
  protected fitImpl(X: Matrix): Float64Array {
    const mean = new Float64Array(X.cols);
    for (let i = 0; i < X.rows; i++)
      for (let j = 0; j < X.cols; j++) mean[j] = (mean[j] as number) + X.get(i, j) / X.rows;
    return mean;
  }
  protected energyImpl(X: Matrix, mean: Float64Array): Float64Array {
    const e = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++)
      for (let j = 0; j < X.cols; j++) e[i] = (e[i] as number) + (X.get(i, j) - (mean[j] as number)) ** 2;
    return e;
  }
  protected configToJSON(): Record<string, unknown> {
    return {};
  }
  protected stateToJSON(mean: Float64Array): Record<string, unknown> {
    return { mean: Array.from(mean) };
  }
  /**
   * Rebuilds a model from `toJSON()` output.
   *
   * @example
   * ```ts
   * NormModel.fromJSON(model.toJSON());
   * ```
   */
  static fromJSON(json: ModelJSON): NormModel {
    const api = 'NormModel.fromJSON';
    return new NormModel().restore(json, api, (s, d) => readFloat64Array(s, 'mean', d, api));
  }
}
registerModel('test-norm', (json) => NormModel.fromJSON(json));
