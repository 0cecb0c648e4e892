/**
 * The ensemble's combination rule, as functions of the members' energies: what `EnsembleEnergy` learns at
 * fit from its members' training energies, and how it combines their normalised energies row by row. The
 * accuracy benchmark forms every combination from stored member energies with the same two functions.
 * @module
 */
import type { EnsembleCombine } from './ensembleParams.js';
import { consensusAgreement, type EnsembleWeighting, memberWeights, trimmedMean } from './memberWeights.js';
import {
  type EnsembleNormalization,
  fitNormalizer,
  type MemberNormalizer,
  normalizeEnergy,
} from './normalize.js';

/** What an ensemble learns from its members' training energies (no labels). */
export interface EnsembleCombination {
  /** Each member's normaliser. */
  readonly normalizers: readonly MemberNormalizer[];
  /** Each member's agreement with the others (see `consensusAgreement`). */
  readonly agreement: Float64Array;
  /** Each member's weight in the `mean` (sums to 1). */
  readonly weights: Float64Array;
}

/**
 * Normalisers, agreements and weights from each member's raw training energies (`train[i]`, member order).
 *
 * @example
 * ```ts
 * const c = fitCombination([gaussTrain, knnTrain, aeTrain], 'quantile', 257, 'consensus');
 * ```
 */
export function fitCombination(
  train: readonly Float64Array[],
  normalization: EnsembleNormalization,
  knots: number,
  weighting: EnsembleWeighting,
): EnsembleCombination {
  const normalizers = train.map((e) => fitNormalizer(e, normalization, knots));
  const agreement = consensusAgreement(train, normalizeMembers(train, normalizers));
  return { normalizers, agreement, weights: memberWeights(weighting, agreement) };
}

/**
 * Each member's energies normalised by its normaliser, as new arrays (`inPlace`: overwriting `raw`).
 *
 * @example
 * ```ts
 * const z = normalizeMembers([gaussTest, knnTest], c.normalizers);
 * ```
 */
export function normalizeMembers(
  raw: readonly Float64Array[],
  normalizers: readonly MemberNormalizer[],
  inPlace = false,
): Float64Array[] {
  return raw.map((e, i) => {
    const norm = normalizers[i] as MemberNormalizer;
    const z = inPlace ? e : new Float64Array(e.length);
    for (let r = 0; r < e.length; r++) z[r] = normalizeEnergy(norm, e[r] as number);
    return z;
  });
}

/**
 * Normalised member energies (`z[i][r]`) combined row by row: `mean` (equal weights as z/k, else Σ wᵢ·zᵢ),
 * `max`, or `trimmed` (see `trimmedMean`).
 *
 * @example
 * ```ts
 * combineNormalized(z, 'trimmed', 'equal', c.weights);
 * ```
 */
export function combineNormalized(
  z: readonly Float64Array[],
  combine: EnsembleCombine,
  weighting: EnsembleWeighting,
  weights: Float64Array,
): Float64Array {
  const n = z.length;
  const rows = (z[0] as Float64Array).length;
  const out = new Float64Array(rows);
  const row = new Float64Array(n);
  for (let r = 0; r < rows; r++) {
    if (combine === 'mean') {
      let s = 0;
      if (weighting === 'equal') {
        // as format 1 did (bit-identical energies for saved equal-weight ensembles)
        for (let i = 0; i < n; i++) s += ((z[i] as Float64Array)[r] as number) / n;
      } else {
        for (let i = 0; i < n; i++) s += (weights[i] as number) * ((z[i] as Float64Array)[r] as number);
      }
      out[r] = s;
    } else if (combine === 'max') {
      let s = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < n; i++) s = Math.max(s, (z[i] as Float64Array)[r] as number);
      out[r] = s;
    } else {
      for (let i = 0; i < n; i++) row[i] = (z[i] as Float64Array)[r] as number;
      out[r] = trimmedMean(row);
    }
  }
  return out;
}
