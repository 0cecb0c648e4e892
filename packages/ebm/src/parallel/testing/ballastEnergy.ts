/**
 * A user's energy for the model-transfer test of the scoring pool: a mean plus `ballast`, a long array of
 * numbers that the energies read (a row x adds `ballast[⌊|x₀| · 10⁶⌋ mod L]`), so a model can be made whose
 * JSON text is longer than `parseModelJSON` accepts without fitting anything large. Importing this
 * module registers its kind. Row-independent, as the energy contract asks: the ballast entry a row adds is
 * chosen by its first value.
 */
import { BaseEnergyModel, type Matrix, type ModelJSON, registerModel } from '@nexus/ebm-core';
import { readFloat64Array, readInt } from '@nexus/ebm-core/extend';

interface BallastState {
  readonly mean: Float64Array;
  readonly ballast: Float64Array;
}

export class BallastEnergy extends BaseEnergyModel<BallastState> {
  readonly kind = 'test-ballast';
  readonly formatVersion = 1;

  constructor(private readonly ballast: Float64Array = new Float64Array(1)) {
    super();
  }

  protected fitImpl(X: Matrix): BallastState {
    const mean = new Float64Array(X.cols);
    for (let i = 0; i < X.rows; i++)
      for (let j = 0; j < X.cols; j++)
        mean[j] = (mean[j] as number) + (X.data[i * X.cols + j] as number) / X.rows;
    return { mean, ballast: this.ballast };
  }

  protected energyImpl(X: Matrix, st: BallastState): Float64Array {
    const e = new Float64Array(X.rows);
    const L = st.ballast.length;
    for (let i = 0; i < X.rows; i++) {
      let t = 0;
      for (let j = 0; j < X.cols; j++) {
        const d = (X.data[i * X.cols + j] as number) - (st.mean[j] as number);
        t += d * d;
      }
      const at = Math.floor(Math.abs(X.data[i * X.cols] as number) * 1e6) % L;
      e[i] = t + (st.ballast[at] as number);
    }
    return e;
  }

  protected configToJSON(): Record<string, unknown> {
    return {};
  }

  protected stateToJSON(st: BallastState): Record<string, unknown> {
    return { mean: Array.from(st.mean), length: st.ballast.length, ballast: Array.from(st.ballast) };
  }

  static fromJSON(json: ModelJSON): BallastEnergy {
    const api = 'BallastEnergy.fromJSON';
    return new BallastEnergy().restore(json, api, (s, d) => {
      const length = readInt(s, 'length', api, { min: 1 });
      return {
        mean: readFloat64Array(s, 'mean', d, api),
        ballast: readFloat64Array(s, 'ballast', length, api),
      };
    });
  }
}

registerModel('test-ballast', (json) => BallastEnergy.fromJSON(json));
