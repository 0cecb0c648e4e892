import {
  BaseEnergyModel,
  type EnergyModel,
  type FitContext,
  loadModel,
  type Matrix,
  type MatrixLike,
  ModelFormatError,
  type ModelJSON,
  message,
  ParameterError,
} from '@nexus/ebm-core';
import {
  type ParamDeclaration,
  readArray,
  readBoolean,
  readFloat64Array,
  readNumber,
  readObject,
} from '@nexus/ebm-core/extend';
import {
  combineNormalized,
  type EnsembleCombination,
  fitCombination,
  normalizeMembers,
} from './combination.js';
import {
  ENSEMBLE_PARAMS,
  type EnsembleEnergyOptions,
  type EnsembleEnergyParams,
  type EnsembleSettings,
} from './ensembleParams.js';

/** What fit learns: each member's normaliser, agreement and weight. */
type EnsembleState = EnsembleCombination;

/** The hyperparameters, as checked by the constructor (see {@link ENSEMBLE_PARAMS}). */
export interface EnsembleEnergy extends EnsembleEnergyParams {}

/**
 * An energy that combines several energies: each member is fitted on the same data, its energies are
 * normalised with statistics of its own training energies (no labels), and the normalised energies are
 * combined row by row — by default the trimmed mean (each row's largest and smallest member left out, so
 * one member failing on a data set or a row cannot carry the score), or the mean with weights learned from
 * the training rows (`weighting`), or the maximum. Higher = more anomalous. {@link EnsembleEnergy.memberEnergies}
 * explains a score (which members were high, which were trimmed); with `combine: 'mean'` the energy is
 * Σᵢ {@link EnsembleEnergy.weights}[i] · memberEnergies[i]; {@link EnsembleEnergy.agreement} says how far
 * each member agreed with the others on the training rows. Persists as kind `"ensemble"`, with every
 * member's own JSON inside; members must be of registered kinds to be loaded again.
 *
 * @example
 * ```ts
 * const model = new EnsembleEnergy({ members: [new GaussianDensity(), new Autoencoder()] });
 * model.fit(train, { seed: 1 });
 * const e = model.energy(test);
 * ```
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the constructor assigns every parameter (Object.assign)
export class EnsembleEnergy extends BaseEnergyModel<EnsembleState> {
  /** The hyperparameters' declaration, members aside (constraints, defaults, docs). */
  static readonly params: ParamDeclaration<EnsembleSettings, EnsembleEnergyParams> = ENSEMBLE_PARAMS;
  /** Persistence tag. */
  readonly kind: string = 'ensemble';
  /** Format version of `toJSON`. */
  readonly formatVersion: number = 2;
  /** The member energies, in order. */
  readonly members: readonly EnergyModel[];

  /** @param options - members and combination rule; see {@link EnsembleEnergyOptions}. */
  constructor(options: EnsembleEnergyOptions) {
    super(options?.seed);
    const api = 'EnsembleEnergy';
    if (options === null || typeof options !== 'object' || !Array.isArray(options.members)) {
      throw new ParameterError(
        message(api, 'members must be an array of energy models', 'members: EnergyModel[]'),
      );
    }
    if (options.members.length === 0) {
      throw new ParameterError(message(api, 'needs at least one member', '≥ 1 member', '0'));
    }
    for (const [i, m] of options.members.entries()) {
      const o = m as Partial<EnergyModel> | null;
      if (
        o === null ||
        typeof o !== 'object' ||
        typeof o.fit !== 'function' ||
        typeof o.energy !== 'function'
      ) {
        throw new ParameterError(
          message(api, `member ${i} is not an energy model`, 'an object with fit() and energy()'),
        );
      }
    }
    if (new Set(options.members).size !== options.members.length) {
      throw new ParameterError(
        message(api, 'the same model instance is listed twice', 'distinct member instances'),
      );
    }
    this.members = options.members.slice();
    Object.assign(this, ENSEMBLE_PARAMS.resolve(options));
    if (this.weighting !== 'equal' && this.combine !== 'mean') {
      throw new ParameterError(
        message(
          api,
          `weighting '${this.weighting}' needs combine 'mean'`,
          "combine: 'mean' or weighting: 'equal'",
          `combine: '${this.combine}'`,
        ),
      );
    }
  }

  /**
   * Fits every member on X, learns each member's normaliser from its energies on X, then each member's
   * agreement with the others and its weight (see `weighting`), all from X alone.
   */
  protected fitImpl(X: Matrix, ctx: FitContext): EnsembleState {
    const raw: Float64Array[] = [];
    const n = this.members.length;
    for (let i = 0; i < n; i++) {
      const m = this.members[i] as EnergyModel;
      ctx.checkAborted();
      m.fit(X, { seed: ctx.seed + i });
      // a neighbour model's own rows would be their own nearest neighbours: leave them out
      const trainE = m.trainingEnergy?.(X) ?? m.energy(X);
      raw.push(trainE);
      ctx.report({ epoch: i + 1, epochs: n, message: `fitted member ${i + 1} (${m.kind})` });
    }
    return fitCombination(raw, this.normalization, this.knots, this.weighting);
  }

  /** Normalised member energies combined row by row. */
  protected energyImpl(X: Matrix, state: EnsembleState): Float64Array {
    const raw = this.members.map((m) => m.energy(X));
    const z = normalizeMembers(raw, state.normalizers, true);
    return combineNormalized(z, this.combine, this.weighting, state.weights);
  }

  /**
   * Each member's weight in the `mean` (sums to 1; learned at fit from the training rows, see
   * `weighting`), in member order.
   *
   * @example
   * ```ts
   * model.weights; // e.g. Float64Array [0.18, 0.17, 0.15, 0.16, 0, 0.17, 0.17]
   * ```
   */
  get weights(): Float64Array {
    return Float64Array.from(this.stateFor('weights').weights);
  }

  /**
   * Each member's agreement with the others on the training rows: the Spearman rank correlation of its
   * training energies with the mean of the other members' normalised training energies (no labels).
   *
   * @example
   * ```ts
   * model.agreement; // a member near 0 or below orders the training rows unlike the rest
   * ```
   */
  get agreement(): Float64Array {
    return Float64Array.from(this.stateFor('agreement').agreement);
  }

  /**
   * Each member's energies on X, normalised (one array per member), e.g. to see which member flags a row;
   * with `combine: 'mean'` the ensemble's energy is Σᵢ {@link EnsembleEnergy.weights}[i] times these.
   *
   * @example
   * ```ts
   * const [gaussianZ, autoencoderZ] = model.memberEnergies(test);
   * ```
   */
  memberEnergies(X: MatrixLike): Float64Array[] {
    const { m, state } = this.checkInput(X, 'memberEnergies');
    return normalizeMembers(
      this.members.map((member) => member.energy(m)),
      state.normalizers,
      true,
    );
  }

  protected configToJSON(): Record<string, unknown> {
    return { ...ENSEMBLE_PARAMS.toJSON(this), memberKinds: this.members.map((m) => m.kind) };
  }

  protected stateToJSON(state: EnsembleState): Record<string, unknown> {
    return {
      members: this.members.map((m) => m.toJSON()),
      normalizers: state.normalizers.map((s) => ({
        values: Array.from(s.values),
        z: Array.from(s.z),
        upperScale: s.upperScale,
        lowerScale: s.lowerScale,
        ...(s.bounded === true ? { bounded: true } : {}),
      })),
      agreement: Array.from(state.agreement),
      weights: Array.from(state.weights),
    };
  }

  /**
   * Rebuilds a saved ensemble (members through `loadModel`, so their kinds must be registered). Format 1
   * (before member weights) loads as `weighting: 'equal'`.
   *
   * @example
   * ```ts
   * const again = EnsembleEnergy.fromJSON(model.toJSON());
   * ```
   */
  static fromJSON(json: ModelJSON): EnsembleEnergy {
    const api = 'EnsembleEnergy.fromJSON';
    const current = json.version === 1 ? upgradeFormat1(json, api) : json;
    const config = readObject(current as unknown as Record<string, unknown>, 'config', api);
    const state = readObject(current as unknown as Record<string, unknown>, 'state', api);
    const rawMembers = readArray(state, 'members', api, 1000);
    if (rawMembers.length === 0) throw new ModelFormatError(message(api, 'no members', '≥ 1 member', '0'));
    const members = rawMembers.map((mj) => loadModel(mj));
    const model = new EnsembleEnergy({ members, ...ENSEMBLE_PARAMS.fromJSON(config, api) });
    return model.restore(current, api, (s, d) => {
      for (const m of members) {
        if (m.nFeatures !== d) {
          throw new ModelFormatError(
            message(api, 'a member has the wrong feature count', `${d}`, `${m.nFeatures}`),
          );
        }
      }
      const rawNorms = readArray(s, 'normalizers', api, 1000);
      if (rawNorms.length !== members.length) {
        throw new ModelFormatError(
          message(api, 'one normalizer per member is needed', `${members.length}`, `${rawNorms.length}`),
        );
      }
      const normalizers = rawNorms.map((raw, i) => {
        const holder: Record<string, unknown> = { [`normalizers[${i}]`]: raw };
        const o = readObject(holder, `normalizers[${i}]`, api);
        const values = o.values;
        const k = Array.isArray(values) ? values.length : 0;
        if (k < 1 || k > 100_000) {
          throw new ModelFormatError(
            message(api, `normalizers[${i}].values has a bad length`, '1 … 100000', `${k}`),
          );
        }
        const v = readFloat64Array(o, 'values', k, api);
        for (let t = 1; t < k; t++) {
          if ((v[t] as number) < (v[t - 1] as number)) {
            throw new ModelFormatError(
              message(api, `normalizers[${i}].values must be sorted`, 'ascending values'),
            );
          }
        }
        const bounded = Object.hasOwn(o, 'bounded') ? readBoolean(o, 'bounded', api) : false;
        return {
          values: v,
          z: readFloat64Array(o, 'z', k, api),
          upperScale: readNumber(o, 'upperScale', api, { min: Number.MIN_VALUE }),
          lowerScale: readNumber(o, 'lowerScale', api, { min: Number.MIN_VALUE }),
          ...(bounded ? { bounded: true } : {}),
        };
      });
      const k = members.length;
      const agreement = readFloat64Array(s, 'agreement', k, api);
      const weights = readFloat64Array(s, 'weights', k, api);
      let sum = 0;
      for (let i = 0; i < k; i++) {
        const w = weights[i] as number;
        const a = agreement[i] as number;
        if (!(w >= 0) || !(a >= -1 && a <= 1)) {
          throw new ModelFormatError(
            message(
              api,
              `member ${i}'s weight or agreement is out of range`,
              'weight ≥ 0, agreement in [−1, 1]',
            ),
          );
        }
        sum += w;
      }
      if (!(Math.abs(sum - 1) <= 1e-9)) {
        throw new ModelFormatError(message(api, 'the member weights must sum to 1', '1', `${sum}`));
      }
      return { normalizers, agreement, weights };
    });
  }
}

/**
 * A format-1 save (equal weights, no agreement saved) as format 2: `weighting: 'equal'`, weights 1/k, and
 * agreement 0 (unknown; it is only explanatory).
 */
function upgradeFormat1(json: ModelJSON, api: string): ModelJSON {
  const config = readObject(json as unknown as Record<string, unknown>, 'config', api);
  const state = readObject(json as unknown as Record<string, unknown>, 'state', api);
  const k = readArray(state, 'members', api, 1000).length;
  return {
    ...json,
    version: 2,
    config: { ...config, weighting: 'equal' },
    state: { ...state, agreement: new Array<number>(k).fill(0), weights: new Array<number>(k).fill(1 / k) },
  };
}
