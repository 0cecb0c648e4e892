/**
 * The hyperparameters of {@link EnsembleEnergy}, declared once: the options interface (whose comments
 * `pnpm docs:options` writes from the declaration) and {@link ENSEMBLE_PARAMS}. The members themselves
 * are objects, not hyperparameters: the constructor checks them and the saved model holds their JSON.
 *
 * @module
 */
import type { EnergyModel } from '@nexus/ebm-core';
import { constraints, ParamDeclaration, type ParamValues } from '@nexus/ebm-core/extend';
import type { EnsembleWeighting } from './memberWeights.js';
import type { EnsembleNormalization } from './normalize.js';

const { integer, oneOf } = constraints;

/** How normalised member energies are combined. */
export type EnsembleCombine = 'mean' | 'max' | 'trimmed';

/** Options of {@link EnsembleEnergy}. */
export interface EnsembleEnergyOptions {
  /**
   * The member energies (at least one). `fit` fits each of them on the same data (member i with seed
   * `seed + i`), replacing their earlier state.
   */
  readonly members: readonly EnergyModel[];
  /**
   * How each member's energies are put on a common scale, learned from its training energies (its
   * `trainingEnergy` where it has one: leave-one-out for the neighbour densities): `quantile` maps an energy
   * through the training energies' empirical distribution to a standard-normal quantile, with logarithmic
   * tails beyond the training range; `rank` maps it to the empirical level itself (rank averaging, bounded in
   * (0, 1)); `robust-z` uses `(e − median) / MAD`. Default: `'quantile'`.
   */
  readonly normalization?: EnsembleNormalization;
  /**
   * `mean` averages the (weighted) normalised energies; `max` takes the largest; `trimmed` leaves out each
   * row's largest and smallest normalised energy and averages the rest (the plain mean below 3 members); the
   * default since it was chosen by a rule fixed before the run (best mean ROC-AUC over the 21 shared
   * benchmark sets on selection seeds 100–102: 0.852 against 0.847 for the equal-weight mean). Default:
   * `'trimmed'`.
   */
  readonly combine?: EnsembleCombine;
  /**
   * How much each member counts in the `mean`, computed at fit from the training rows without labels: `equal`
   * 1/k each; `consensus` ∝ max(0, ρᵢ), where ρᵢ is the Spearman rank correlation of member i's training
   * energies with the mean of the other members' normalised training energies (its agreement with the others;
   * equal weights when no ρᵢ is positive); `select` equal weights among the members with ρᵢ ≥ ½·max ρ and 0
   * for the rest. Weights need `combine: 'mean'`: with another combination (the default `trimmed` included) a
   * weighting other than `equal` is refused. Default: `'equal'`.
   */
  readonly weighting?: EnsembleWeighting;
  /** Largest number of knots kept per member for `quantile`. Default: `257`. */
  readonly knots?: number;
  /** Default seed of `fit`. */
  readonly seed?: number;
}

/** The ensemble's options other than its members. */
export type EnsembleSettings = Omit<EnsembleEnergyOptions, 'members'>;

/** The checked hyperparameters of an {@link EnsembleEnergy}. */
export type EnsembleEnergyParams = ParamValues<EnsembleSettings>;

/**
 * The ensemble's hyperparameters (members aside): constraint, default and documentation of each, in the
 * order they are checked and saved.
 *
 * @example
 * ```ts
 * ENSEMBLE_PARAMS.resolve({}).knots; // 257
 * ```
 */
export const ENSEMBLE_PARAMS: ParamDeclaration<EnsembleSettings, EnsembleEnergyParams> = new ParamDeclaration<
  EnsembleSettings,
  EnsembleEnergyParams
>('EnsembleEnergy', {
  normalization: {
    check: oneOf<EnsembleNormalization>(['quantile', 'rank', 'robust-z']),
    default: 'quantile',
    doc:
      "How each member's energies are put on a common scale, learned from its training energies (its " +
      '`trainingEnergy` where it has one: leave-one-out for the neighbour densities): `quantile` maps an ' +
      "energy through the training energies' empirical distribution to a standard-normal quantile, with " +
      'logarithmic tails beyond the training range; `rank` maps it to the empirical level itself (rank ' +
      'averaging, bounded in (0, 1)); `robust-z` uses `(e − median) / MAD`.',
  },
  combine: {
    check: oneOf<EnsembleCombine>(['mean', 'max', 'trimmed']),
    default: 'trimmed',
    doc: "`mean` averages the (weighted) normalised energies; `max` takes the largest; `trimmed` leaves out each row's largest and smallest normalised energy and averages the rest (the plain mean below 3 members); the default since it was chosen by a rule fixed before the run (best mean ROC-AUC over the 21 shared benchmark sets on selection seeds 100–102: 0.852 against 0.847 for the equal-weight mean).",
  },
  weighting: {
    check: oneOf<EnsembleWeighting>(['equal', 'consensus', 'select']),
    default: 'equal',
    doc: "How much each member counts in the `mean`, computed at fit from the training rows without labels: `equal` 1/k each; `consensus` ∝ max(0, ρᵢ), where ρᵢ is the Spearman rank correlation of member i's training energies with the mean of the other members' normalised training energies (its agreement with the others; equal weights when no ρᵢ is positive); `select` equal weights among the members with ρᵢ ≥ ½·max ρ and 0 for the rest. Weights need `combine: 'mean'`: with another combination (the default `trimmed` included) a weighting other than `equal` is refused.",
  },
  knots: {
    check: integer(2, 100_000),
    default: 257,
    doc: 'Largest number of knots kept per member for `quantile`.',
  },
});
