/**
 * Evaluation protocols: how a labelled data set is split into training and test rows, and how it is scaled.
 * - `pyod`: 60/40 random split, z-scored on the training part; training data contains anomalies (PyOD's
 *   benchmark).
 * - `adbench`: 70/30 split stratified by label, z-scored on the training part; training data contains
 *   anomalies (ADBench's unsupervised setting).
 * - `clean`: fit on a random 60 % of the normal rows; test on the other normal rows and every anomaly.
 * Labels are used only to split (stratification, `clean`) and to score; never to fit.
 */
import { Rng } from '@nexus/ebm-core';
import type { LabelledData } from './csv.js';

export type ProtocolName = 'pyod' | 'adbench' | 'clean';
export const PROTOCOLS: readonly ProtocolName[] = ['pyod', 'adbench', 'clean'];

/** Row indices of one split. */
export interface Split {
  readonly train: Int32Array;
  readonly test: Int32Array;
}

/** A split, materialised and scaled. */
export interface PreparedSplit {
  readonly cols: number;
  readonly trainRows: number;
  /** Row-major, `trainRows * cols`, scaled. */
  readonly train: Float64Array;
  readonly testRows: number;
  readonly test: Float64Array;
  readonly yTest: Uint8Array;
  /** Anomalies among the training rows (0 under `clean`); for reporting only, never given to a model. */
  readonly trainAnomalies: number;
  /** Whether the protocol lets anomalies into the training rows (pyod, adbench) — known without labels. */
  readonly contaminated: boolean;
}

function sorted(a: Int32Array): Int32Array {
  return a.sort();
}

/** A random split with `round(frac · n)` training rows. */
export function randomSplit(n: number, frac: number, rng: Rng): Split {
  const p = rng.permutation(n);
  const k = Math.round(frac * n);
  return { train: sorted(p.slice(0, k)), test: sorted(p.slice(k)) };
}

/** A split stratified by label: `round(frac · n_c)` training rows from each class c. */
export function stratifiedSplit(y: Uint8Array, frac: number, rng: Rng): Split {
  const train: number[] = [];
  const test: number[] = [];
  for (const cls of [0, 1]) {
    const idx: number[] = [];
    for (let i = 0; i < y.length; i++) if (y[i] === cls) idx.push(i);
    const p = rng.permutation(idx.length);
    const k = Math.round(frac * idx.length);
    for (let t = 0; t < idx.length; t++) (t < k ? train : test).push(idx[p[t] as number] as number);
  }
  return { train: sorted(Int32Array.from(train)), test: sorted(Int32Array.from(test)) };
}

/** `frac` of the normal rows for training; the other normal rows and every anomaly for testing. */
export function cleanSplit(y: Uint8Array, frac: number, rng: Rng): Split {
  const normal: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < y.length; i++) (y[i] === 0 ? normal : test).push(i);
  const p = rng.permutation(normal.length);
  const k = Math.round(frac * normal.length);
  const train: number[] = [];
  for (let t = 0; t < normal.length; t++) (t < k ? train : test).push(normal[p[t] as number] as number);
  return { train: sorted(Int32Array.from(train)), test: sorted(Int32Array.from(test)) };
}

/** The split of a protocol for one seed. */
export function splitFor(protocol: ProtocolName, y: Uint8Array, seed: number): Split {
  const rng = new Rng(`split:${protocol}:${seed}`);
  switch (protocol) {
    case 'pyod':
      return randomSplit(y.length, 0.6, rng);
    case 'adbench':
      return stratifiedSplit(y, 0.7, rng);
    case 'clean':
      return cleanSplit(y, 0.6, rng);
  }
}

/** Per-column mean and standard deviation (population); a constant column gets scale 1. */
export function zScoreParams(
  X: Float64Array,
  rows: number,
  cols: number,
): { mean: Float64Array; scale: Float64Array } {
  const mean = new Float64Array(cols);
  const scale = new Float64Array(cols);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) mean[j] = (mean[j] as number) + (X[i * cols + j] as number);
  for (let j = 0; j < cols; j++) mean[j] = (mean[j] as number) / Math.max(rows, 1);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) {
      const d = (X[i * cols + j] as number) - (mean[j] as number);
      scale[j] = (scale[j] as number) + d * d;
    }
  for (let j = 0; j < cols; j++) {
    const s = Math.sqrt((scale[j] as number) / Math.max(rows, 1));
    scale[j] = s > 1e-12 * Math.max(1, Math.abs(mean[j] as number)) ? s : 1;
  }
  return { mean, scale };
}

/** Applies `(x − mean) / scale` column-wise, in place. */
export function applyZScore(
  X: Float64Array,
  rows: number,
  cols: number,
  mean: Float64Array,
  scale: Float64Array,
): void {
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) {
      const k = i * cols + j;
      X[k] = ((X[k] as number) - (mean[j] as number)) / (scale[j] as number);
    }
}

function gather(d: LabelledData, idx: Int32Array): Float64Array {
  const c = d.cols;
  const out = new Float64Array(idx.length * c);
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k] as number;
    out.set(d.X.subarray(i * c, i * c + c), k * c);
  }
  return out;
}

/** Splits a data set under a protocol and seed, and z-scores both parts with the training part's statistics. */
export function prepare(d: LabelledData, protocol: ProtocolName, seed: number): PreparedSplit {
  const s = splitFor(protocol, d.y, seed);
  const train = gather(d, s.train);
  const test = gather(d, s.test);
  const { mean, scale } = zScoreParams(train, s.train.length, d.cols);
  applyZScore(train, s.train.length, d.cols, mean, scale);
  applyZScore(test, s.test.length, d.cols, mean, scale);
  const yTest = new Uint8Array(s.test.length);
  for (let k = 0; k < s.test.length; k++) yTest[k] = d.y[s.test[k] as number] as number;
  let trainAnomalies = 0;
  for (let k = 0; k < s.train.length; k++) trainAnomalies += d.y[s.train[k] as number] as number;
  return {
    cols: d.cols,
    trainRows: s.train.length,
    train,
    testRows: s.test.length,
    test,
    yTest,
    trainAnomalies,
    contaminated: protocol !== 'clean',
  };
}
