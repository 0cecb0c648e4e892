/**
 * Fitting the benchmark's models on one training matrix and scoring them on one test matrix. When the
 * ensemble is asked for, its members are fitted once inside it and the single models' scores are read
 * from its (monotonically) normalised member energies, so nothing is fitted twice; ROC-AUC and average
 * precision depend only on the order of the energies, which the normalisation keeps.
 */
import { averagePrecision, type EnergyModel, Matrix, Rng, rocAuc } from '@nexus/ebm-core';
import { EnsembleEnergy, type EnsembleNormalization } from '@nexus/ebm-energies';
import {
  combineNormalized,
  type EnsembleWeighting,
  fitCombination,
  normalizeMembers,
} from '@nexus/ebm-energies/training';
import { BASE_MODELS, createModel, type ModelName, SINGLE_MODELS, type SingleModel } from './models.js';

/** The library's ensemble defaults (normalisation, combination, weighting). */
const LIBRARY = EnsembleEnergy.params.resolve({});

/**
 * The ensembles the benchmark can form from one fit of the members: `ensemble` with the library's defaults
 * (normal quantiles, per-row trimmed mean, chosen by a rule fixed before the run: docs/choosing-an-energy.md, "Ensemble combination"),
 * `ensemble-mean` (the equal-weight mean of normal quantiles, the default before), `ensemble-rank` (rank
 * averaging) and the other label-free candidates of that rule: weights by agreement with the other members
 * on the training rows (`consensus`, `select`).
 */
export const ENSEMBLES: readonly {
  name: ModelName;
  normalization: EnsembleNormalization;
  weighting: EnsembleWeighting;
  trimmed: boolean;
}[] = [
  {
    name: 'ensemble',
    normalization: LIBRARY.normalization,
    weighting: LIBRARY.weighting,
    trimmed: LIBRARY.combine === 'trimmed',
  },
  { name: 'ensemble-mean', normalization: 'quantile', weighting: 'equal', trimmed: false },
  { name: 'ensemble-rank', normalization: 'rank', weighting: 'equal', trimmed: false },
  { name: 'ensemble-consensus', normalization: 'quantile', weighting: 'consensus', trimmed: false },
  { name: 'ensemble-select', normalization: 'quantile', weighting: 'select', trimmed: false },
];

/** Every member's raw energies on the (subsampled) training rows and on the test rows, in member order. */
export interface MemberEnergies {
  readonly members: readonly SingleModel[];
  readonly train: readonly Float64Array[];
  readonly test: readonly Float64Array[];
}

/**
 * One combination of the members' raw energies: each member normalised by its training energies, weighted
 * (label-free, from the training rows) and averaged, or trimmed per row.
 */
export function combineMembers(
  m: MemberEnergies,
  normalization: EnsembleNormalization,
  weighting: EnsembleWeighting,
  trimmed: boolean,
): Float64Array {
  const c = fitCombination(m.train, normalization, LIBRARY.knots, weighting);
  const z = normalizeMembers(m.test, c.normalizers);
  return combineNormalized(z, trimmed ? 'trimmed' : 'mean', weighting, c.weights);
}

/** One model's result on one test set. */
export interface ModelScore {
  readonly rocAuc: number;
  readonly averagePrecision: number;
  /** Seconds to fit (and, for ensemble members, to compute the training energies). */
  readonly fitSeconds: number;
}

/** A train/test pair ready to score. */
export interface EvalInput {
  readonly cols: number;
  readonly trainRows: number;
  readonly train: Float64Array;
  readonly testRows: number;
  readonly test: Float64Array;
  readonly yTest: Uint8Array;
  /** Whether the training rows may contain anomalies (set by the protocol, never from labels). */
  readonly contaminated: boolean;
}

/** Whether the labels hold both classes (ROC-AUC is defined). */
export function hasBothClasses(y: Uint8Array): boolean {
  let pos = 0;
  for (let i = 0; i < y.length; i++) pos += y[i] as number;
  return pos > 0 && pos < y.length;
}

/** ROC-AUC and average precision of energies against 0/1 labels. */
export function scoreOf(y: Uint8Array, e: Float64Array, fitSeconds: number): ModelScore {
  return { rocAuc: rocAuc(y, e), averagePrecision: averagePrecision(y, e), fitSeconds };
}

/** At most `max` rows of a row-major matrix, drawn without replacement with a seeded generator. */
export function subsampleRows(
  X: Float64Array,
  rows: number,
  cols: number,
  max: number,
  seed: number,
): Matrix {
  if (rows <= max) return new Matrix(rows, cols, X);
  const idx = new Rng(`fit-subsample:${seed}`).sample(rows, max).sort();
  const out = new Matrix(max, cols);
  for (let k = 0; k < max; k++) {
    const i = idx[k] as number;
    out.data.set(X.subarray(i * cols, i * cols + cols), k * cols);
  }
  return out;
}

/**
 * Fits the requested models on `input.train` (subsampled to `maxTrainRows`) with `seed` and scores them on
 * `input.test`. A model that throws is reported as its error and does not stop the others. Members found
 * in `reuse` (energies of an earlier run of the same split and seed, e.g. read from a `--dump-energies`
 * folder) are taken from there instead of being fitted again; their row counts must match.
 */
export function scoreModels(
  input: EvalInput,
  models: readonly ModelName[],
  seed: number,
  maxTrainRows: number,
  onEnergies?: (model: ModelName, energies: Float64Array, fitSeconds: number) => void,
  members: readonly SingleModel[] = BASE_MODELS,
  onMembers?: (energies: MemberEnergies) => void,
  reuse?: MemberEnergies,
): Map<ModelName, ModelScore | Error> {
  const out = new Map<ModelName, ModelScore | Error>();
  const train = subsampleRows(input.train, input.trainRows, input.cols, maxTrainRows, seed);
  const test = new Matrix(input.testRows, input.cols, input.test);
  const y = input.yTest;
  let current: ModelName = 'ensemble';
  const score = (e: Float64Array, fitSeconds: number): ModelScore => {
    onEnergies?.(current, e, fitSeconds);
    return scoreOf(y, e, fitSeconds);
  };
  const singles = models.filter((m): m is SingleModel => (SINGLE_MODELS as readonly string[]).includes(m));
  const combos = ENSEMBLES.filter((c) => models.includes(c.name));
  if (combos.length > 0) {
    const fitted: EnergyModel[] = members.map((m) => createModel(m, train.rows, train.cols, input));
    const stamps: number[] = [performance.now()];
    try {
      // the members are fitted as EnsembleEnergy fits them (member i with seed + i) and their training
      // energies (leave-one-out where the model has trainingEnergy) and test energies computed once; every
      // combination is formed from these exactly as EnsembleEnergy forms it
      const rawTrain: Float64Array[] = [];
      const reused = members.map((m) => {
        const j = reuse === undefined ? -1 : reuse.members.indexOf(m);
        if (j < 0 || reuse === undefined) return undefined;
        const tr = reuse.train[j] as Float64Array;
        const te = reuse.test[j] as Float64Array;
        if (tr.length !== train.rows || te.length !== test.rows)
          throw new Error(
            `reused ${m} energies have the wrong row counts (expected ${train.rows} + ${test.rows}, got ${tr.length} + ${te.length})`,
          );
        return { train: tr, test: te };
      });
      fitted.forEach((m, i) => {
        const r = reused[i];
        if (r === undefined) m.fit(train, { seed: seed + i });
        rawTrain.push(r?.train ?? m.trainingEnergy?.(train) ?? m.energy(train));
        stamps.push(performance.now());
      });
      const fitTotal = (performance.now() - (stamps[0] as number)) / 1000;
      const rawTest = fitted.map((m, i) => reused[i]?.test ?? m.energy(test));
      const energies: MemberEnergies = { members, train: rawTrain, test: rawTest };
      onMembers?.(energies);
      for (const c of combos) {
        current = c.name;
        out.set(c.name, score(combineMembers(energies, c.normalization, c.weighting, c.trimmed), fitTotal));
      }
      members.forEach((m, i) => {
        if (singles.includes(m)) {
          current = m;
          const secs = ((stamps[i + 1] as number) - (stamps[i] as number)) / 1000;
          out.set(m, score(rawTest[i] as Float64Array, secs));
        }
      });
    } catch (e) {
      for (const c of combos) out.set(c.name, e instanceof Error ? e : new Error(String(e)));
    }
  }
  SINGLE_MODELS.forEach((m, i) => {
    if (!singles.includes(m) || out.has(m)) return;
    try {
      const t0 = performance.now();
      const model = createModel(m, train.rows, train.cols, input);
      model.fit(train, { seed: seed + i });
      const secs = (performance.now() - t0) / 1000;
      current = m;
      out.set(m, score(model.energy(test), secs));
    } catch (e) {
      out.set(m, e instanceof Error ? e : new Error(String(e)));
    }
  });
  return out;
}
