/**
 * Concentration steps around any energy: the bench's robust fit for energies without a `trim` option of
 * their own.
 *
 * @module
 */
import {
  BaseEnergyModel,
  type EnergyModel,
  type FitContext,
  type Matrix,
  type ModelJSON,
} from '@nexus/ebm-core';

/**
 * An energy refitted on the ⌈(1 − trim)·n⌉ training rows of lowest energy until that set is stable or
 * `steps` refits have run (the concentration steps of a trimmed likelihood, as the Gaussian's `trim`). Rows
 * in the current fit are scored with the energy's `trainingEnergy` where it has one (leave-one-out for the
 * neighbour densities), the others with `energy`; ties go to the lower row index. Every refit uses the fit's
 * seed. Its JSON is the final inner model's own.
 *
 * @example
 * ```ts
 * const knn = new TrimmedFit(() => new KnnDensity(), 0.25).fit(train, { seed: 1 });
 * ```
 */
export class TrimmedFit extends BaseEnergyModel<EnergyModel> {
  readonly kind: string = 'trimmed-fit';
  readonly formatVersion: number = 1;
  /**
   * @param make - a fresh, unfitted inner energy.
   * @param trim - share of the training rows left out, in [0, 0.5).
   * @param steps - the most refits.
   */
  constructor(
    private readonly make: () => EnergyModel,
    readonly trim: number,
    readonly steps: number = 10,
  ) {
    super();
    if (!(trim >= 0 && trim < 0.5))
      throw new Error(`TrimmedFit: trim is out of range (expected in [0, 0.5), got ${trim})`);
    if (!(Number.isInteger(steps) && steps >= 1))
      throw new Error(`TrimmedFit: steps must be a positive integer (got ${steps})`);
  }

  protected fitImpl(X: Matrix, ctx: FitContext): EnergyModel {
    let model = this.make().fit(X, { seed: ctx.seed });
    const n = X.rows;
    const h = Math.ceil((1 - this.trim) * n);
    if (this.trim === 0 || h >= n || h < 2) return model;
    let inFit: Int32Array | null = null; // null: every row
    for (let step = 0; step < this.steps; step++) {
      const e = energiesOfAll(model, X, inFit);
      const kept = lowestRows(e, h);
      if (inFit !== null && sameRows(inFit, kept)) break;
      inFit = kept;
      model = this.make().fit(X.selectRows(kept), { seed: ctx.seed });
      ctx.report({ epoch: step + 1, epochs: this.steps });
    }
    return model;
  }

  protected energyImpl(X: Matrix, model: EnergyModel): Float64Array {
    return model.energy(X);
  }

  /**
   * The inner energy's training energies (leave-one-out where it has them, else `energy`).
   *
   * @example
   * ```ts
   * const eTrain = trimmedKnn.trainingEnergy(train);
   * ```
   */
  trainingEnergy(X: Matrix): Float64Array {
    const model = this.stateFor('trainingEnergy');
    return model.trainingEnergy?.(X) ?? model.energy(X);
  }

  protected configToJSON(): Record<string, unknown> {
    return { trim: this.trim, steps: this.steps };
  }

  protected stateToJSON(model: EnergyModel): Record<string, unknown> {
    return { ...model.toJSON().state };
  }

  override toJSON(): ModelJSON {
    return this.stateFor('toJSON').toJSON();
  }
}

/** Energies of every row of X: `trainingEnergy` for the rows in the fit (`inFit`, null = all), else `energy`. */
function energiesOfAll(model: EnergyModel, X: Matrix, inFit: Int32Array | null): Float64Array {
  const train = (m: Matrix): Float64Array => model.trainingEnergy?.(m) ?? model.energy(m);
  if (inFit === null) return train(X);
  const member = new Uint8Array(X.rows);
  for (const i of inFit) member[i] = 1;
  const outside: number[] = [];
  for (let i = 0; i < X.rows; i++) if (member[i] === 0) outside.push(i);
  const e = new Float64Array(X.rows);
  const eIn = train(X.selectRows(inFit));
  inFit.forEach((i, t) => {
    e[i] = eIn[t] as number;
  });
  if (outside.length > 0) {
    const eOut = model.energy(X.selectRows(outside));
    outside.forEach((i, t) => {
      e[i] = eOut[t] as number;
    });
  }
  return e;
}

/** Indices (ascending) of the `h` smallest energies; ties broken by row index. */
function lowestRows(energy: Float64Array, h: number): Int32Array {
  const order = Array.from({ length: energy.length }, (_, i) => i);
  order.sort((a, b) => (energy[a] as number) - (energy[b] as number) || a - b);
  return Int32Array.from(order.slice(0, h)).sort();
}

function sameRows(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
