/**
 * NSL-KDD: reading the 43-column files (41 fields, the label, a difficulty score) and featurizing the 41
 * fields into a numeric matrix — `sign(x)·log1p(|x|)` for the 38 numeric fields, plus a `field≠0`
 * indicator for each numeric field that takes more than the values 0 and 1 in the fitting rows (most
 * fields are zero-inflated: a point mass at 0 and a spread of positive values, which one Gaussian column
 * cannot describe; the indicator separates "present" from "how much"), one-hot columns for the
 * categorical `protocol_type`, `service` and `flag` (categories seen in the fitting rows, plus one
 * `<other>` column for categories never seen there); then every column is mapped to normal scores by its
 * empirical distribution in the fitting rows ({@link QuantileNormal}, the rank-Gaussian transform of
 * scikit-learn's `QuantileTransformer(output_distribution='normal')`), z-scored with the fitting rows'
 * statistics, and columns constant in the fitting rows are dropped.
 */
import { Matrix, Rng, rocAuc } from '@nexus/ebm-core';
import { GaussianDensity } from '@nexus/ebm-energies';
import { normalQuantile } from '@nexus/ebm-energies/training';
import { readText } from './csv.js';

/** The 41 field names, in file order. */
export const NSL_KDD_FIELDS: readonly string[] = [
  'duration',
  'protocol_type',
  'service',
  'flag',
  'src_bytes',
  'dst_bytes',
  'land',
  'wrong_fragment',
  'urgent',
  'hot',
  'num_failed_logins',
  'logged_in',
  'num_compromised',
  'root_shell',
  'su_attempted',
  'num_root',
  'num_file_creations',
  'num_shells',
  'num_access_files',
  'num_outbound_cmds',
  'is_host_login',
  'is_guest_login',
  'count',
  'srv_count',
  'serror_rate',
  'srv_serror_rate',
  'rerror_rate',
  'srv_rerror_rate',
  'same_srv_rate',
  'diff_srv_rate',
  'srv_diff_host_rate',
  'dst_host_count',
  'dst_host_srv_count',
  'dst_host_same_srv_rate',
  'dst_host_diff_srv_rate',
  'dst_host_same_src_port_rate',
  'dst_host_srv_diff_host_rate',
  'dst_host_serror_rate',
  'dst_host_srv_serror_rate',
  'dst_host_rerror_rate',
  'dst_host_srv_rerror_rate',
];

/** Indices of the categorical fields among the 41. */
export const NSL_KDD_CATEGORICAL: readonly number[] = [1, 2, 3];

/** One NSL-KDD record. */
export interface KddRecord {
  /** The 41 raw fields as strings. */
  readonly fields: readonly string[];
  /** Attack name, or `normal`. */
  readonly label: string;
  readonly difficulty: number;
}

/** Parses NSL-KDD text (43 comma-separated columns per line; blank lines skipped). */
export function parseKdd(text: string, name = 'nsl-kdd'): KddRecord[] {
  const out: KddRecord[] = [];
  const lines = text.split(/\r?\n/);
  for (let ln = 0; ln < lines.length; ln++) {
    const line = (lines[ln] as string).trim();
    if (line === '') continue;
    const cells = line.split(',');
    if (cells.length < 42) {
      throw new Error(
        `parseKdd: ${name} line ${ln + 1}: wrong number of fields (expected 42 or 43, got ${cells.length})`,
      );
    }
    out.push({
      fields: cells.slice(0, 41),
      label: (cells[41] as string).trim(),
      difficulty: cells.length > 42 ? Number(cells[42]) : Number.NaN,
    });
  }
  return out;
}

/** Reads an NSL-KDD file. */
export function readKdd(path: string): KddRecord[] {
  return parseKdd(readText(path), path);
}

/** Options of {@link KddFeaturizer}. */
export interface KddFeaturizerOptions {
  /** Categories seen fewer times than this in the fitting rows go to `<other>` (default 1). */
  readonly minCategoryCount?: number;
  /**
   * Drop columns that are constant in the fitting rows (default true): they carry no density information,
   * and z-scoring cannot give them a scale (a tiny fitted variance would turn any change into a huge energy).
   */
  readonly dropConstant?: boolean;
  /**
   * Add a `field≠0` indicator column for each numeric field whose fitting rows hold a value other than 0
   * and 1 (default true; for 0/1 fields the indicator would repeat the field).
   */
  readonly zeroIndicators?: boolean;
  /** Map every column to normal scores by its empirical distribution in the fitting rows (default true). */
  readonly quantileNormal?: boolean;
}

/** Inputs this close to the fitted range's ends map to its ends, as in scikit-learn. */
const BOUNDS = 1e-7;
/** The largest |normal score|, Φ⁻¹(1 − 1e-7) (scikit-learn clips its normal output there). */
const Z_MAX = -normalQuantile(BOUNDS - Number.EPSILON);

/**
 * Per-column rank-Gaussian transform, as scikit-learn's `QuantileTransformer(output_distribution='normal',
 * n_quantiles=1000)`: each column's value is placed among min(1000, n) quantiles of the fitting rows
 * (averaging the interpolation from both sides, so a value repeated in the fitting rows gets the middle of
 * its ranks), and the rank in [0, 1] goes through Φ⁻¹, clipped to ±Φ⁻¹(1 − 1e-7) ≈ ±5.2. Values at or
 * beyond the fitted range map to its ends. Monotone per column, learned without labels.
 *
 * @example
 * ```ts
 * const q = QuantileNormal.fit(X, rows, cols);
 * q.apply(X, rows); // in place
 * ```
 */
export class QuantileNormal {
  private constructor(
    private readonly cols: number,
    /** Per column, the quantiles (monotone). */
    private readonly quantiles: Float64Array[],
    /** The common reference ranks, 0 … 1. */
    private readonly references: Float64Array,
  ) {}

  /** Fits the quantiles of every column of a row-major `rows × cols` matrix. */
  static fit(X: Float64Array, rows: number, cols: number): QuantileNormal {
    if (rows < 1) throw new Error(`QuantileNormal.fit: no rows (expected ≥ 1, got ${rows})`);
    const nq = Math.min(1000, rows);
    const references = new Float64Array(nq);
    for (let k = 0; k < nq; k++) references[k] = nq === 1 ? 0 : k / (nq - 1);
    const col = new Float64Array(rows);
    const quantiles: Float64Array[] = [];
    for (let j = 0; j < cols; j++) {
      for (let i = 0; i < rows; i++) col[i] = X[i * cols + j] as number;
      col.sort();
      const q = new Float64Array(nq);
      for (let k = 0; k < nq; k++) {
        const pos = (references[k] as number) * (rows - 1);
        const lo = Math.floor(pos);
        const f = pos - lo;
        const a = col[lo] as number;
        q[k] = f === 0 || lo + 1 >= rows ? a : a + f * ((col[lo + 1] as number) - a);
        if (k > 0 && (q[k] as number) < (q[k - 1] as number)) q[k] = q[k - 1] as number;
      }
      quantiles.push(q);
    }
    return new QuantileNormal(cols, quantiles, references);
  }

  /** Replaces every value of a row-major `rows × cols` matrix by its normal score, in place. */
  apply(X: Float64Array, rows: number): void {
    const r = this.references;
    const last = r.length - 1;
    for (let j = 0; j < this.cols; j++) {
      const q = this.quantiles[j] as Float64Array;
      const lo = q[0] as number;
      const hi = q[last] as number;
      for (let i = 0; i < rows; i++) {
        const x = X[i * this.cols + j] as number;
        let u: number;
        if (x - BOUNDS < lo) u = 0;
        else if (x + BOUNDS > hi) u = 1;
        else {
          // forward: the last knot ≤ x; backward: the first knot ≥ x.
          let a = 0;
          let b = last;
          while (a < b) {
            const m = (a + b + 1) >> 1;
            if ((q[m] as number) <= x) a = m;
            else b = m - 1;
          }
          const fwd =
            a >= last
              ? (r[last] as number)
              : (r[a] as number) +
                ((x - (q[a] as number)) * ((r[a + 1] as number) - (r[a] as number))) /
                  ((q[a + 1] as number) - (q[a] as number));
          let c = 0;
          let e = last;
          while (c < e) {
            const m = (c + e) >> 1;
            if ((q[m] as number) >= x) e = m;
            else c = m + 1;
          }
          const bwd =
            c <= 0
              ? (r[0] as number)
              : (r[c] as number) -
                (((q[c] as number) - x) * ((r[c] as number) - (r[c - 1] as number))) /
                  ((q[c] as number) - (q[c - 1] as number));
          u = 0.5 * (fwd + bwd);
        }
        X[i * this.cols + j] = Math.max(-Z_MAX, Math.min(Z_MAX, normalQuantile(u)));
      }
    }
  }
}

/** A fitted featurizer: one column per numeric field, one per kept category, one `<other>` per categorical. */
export class KddFeaturizer {
  private readonly minCount: number;
  private readonly dropConstant: boolean;
  private readonly zeroIndicators: boolean;
  private readonly quantileNormal: boolean;
  private normalScores: QuantileNormal | undefined;
  /** Per field: whether it gets a `≠0` indicator column (numeric fields only). */
  private indicator: boolean[] = [];
  /** Indices of the encoded columns kept in the output. */
  private kept: Int32Array = new Int32Array(0);
  private categories: Map<string, number>[] = [];
  private names: string[] = [];
  private mean: Float64Array = new Float64Array(0);
  private scale: Float64Array = new Float64Array(0);

  constructor(options: KddFeaturizerOptions = {}) {
    this.minCount = options.minCategoryCount ?? 1;
    this.dropConstant = options.dropConstant ?? true;
    this.zeroIndicators = options.zeroIndicators ?? true;
    this.quantileNormal = options.quantileNormal ?? true;
  }

  /** Names of the output columns after fitting. */
  get featureNames(): readonly string[] {
    return Array.from(this.kept, (j) => this.names[j] as string);
  }

  /** Number of output columns after fitting. */
  get cols(): number {
    return this.kept.length;
  }

  /** Learns categories and z-score statistics from `rows`. */
  fit(rows: readonly KddRecord[]): this {
    this.categories = [];
    this.names = [];
    this.indicator = [];
    for (let f = 0; f < 41; f++) {
      if (!NSL_KDD_CATEGORICAL.includes(f)) {
        this.names.push(NSL_KDD_FIELDS[f] as string);
        const notBinary =
          this.zeroIndicators &&
          rows.some((r) => {
            const v = Number(r.fields[f]);
            return v !== 0 && v !== 1;
          });
        this.indicator.push(notBinary);
        if (notBinary) this.names.push(`${NSL_KDD_FIELDS[f]}≠0`);
        continue;
      }
      this.indicator.push(false);
      const counts = new Map<string, number>();
      for (const r of rows) {
        const v = r.fields[f] as string;
        counts.set(v, (counts.get(v) ?? 0) + 1);
      }
      const kept = [...counts.entries()]
        .filter(([, c]) => c >= this.minCount)
        .map(([v]) => v)
        .sort();
      const index = new Map<string, number>();
      for (const v of kept) {
        index.set(v, index.size);
        this.names.push(`${NSL_KDD_FIELDS[f]}=${v}`);
      }
      this.names.push(`${NSL_KDD_FIELDS[f]}=<other>`);
      this.categories.push(index);
    }
    this.mean = new Float64Array(this.names.length);
    this.scale = new Float64Array(this.names.length).fill(1);
    this.normalScores = undefined;
    const raw = this.encode(rows);
    const c = this.names.length;
    const n = rows.length;
    if (this.quantileNormal) {
      this.normalScores = QuantileNormal.fit(raw, n, c);
      this.normalScores.apply(raw, n);
    }
    const mean = new Float64Array(c);
    const sq = new Float64Array(c);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < c; j++) mean[j] = (mean[j] as number) + (raw[i * c + j] as number);
    for (let j = 0; j < c; j++) mean[j] = (mean[j] as number) / Math.max(n, 1);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < c; j++) {
        const d = (raw[i * c + j] as number) - (mean[j] as number);
        sq[j] = (sq[j] as number) + d * d;
      }
    const kept: number[] = [];
    for (let j = 0; j < c; j++) {
      const s = Math.sqrt((sq[j] as number) / Math.max(n, 1));
      this.scale[j] = s > 1e-12 ? s : 1;
      if (s > 1e-12 || !this.dropConstant) kept.push(j);
    }
    this.mean = mean;
    this.kept = Int32Array.from(kept);
    return this;
  }

  /** Row-major features of `rows` (`rows.length * cols`), z-scored with the fitted statistics. */
  transform(rows: readonly KddRecord[]): Float64Array {
    const raw = this.encode(rows);
    const c = this.names.length;
    this.normalScores?.apply(raw, rows.length);
    const kc = this.kept.length;
    const out = new Float64Array(rows.length * kc);
    for (let i = 0; i < rows.length; i++)
      for (let t = 0; t < kc; t++) {
        const j = this.kept[t] as number;
        out[i * kc + t] = ((raw[i * c + j] as number) - (this.mean[j] as number)) / (this.scale[j] as number);
      }
    return out;
  }

  private encode(rows: readonly KddRecord[]): Float64Array {
    const c = this.names.length;
    const out = new Float64Array(rows.length * c);
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i] as KddRecord;
      let col = i * c;
      let cat = 0;
      for (let f = 0; f < 41; f++) {
        const cell = r.fields[f] as string;
        if (NSL_KDD_CATEGORICAL.includes(f)) {
          const index = this.categories[cat++] as Map<string, number>;
          const k = index.get(cell);
          out[col + (k ?? index.size)] = 1;
          col += index.size + 1;
        } else {
          const v = Number(cell);
          const x = Number.isFinite(v) ? v : 0;
          out[col++] = Math.sign(x) * Math.log1p(Math.abs(x));
          if (this.indicator[f] === true) out[col++] = x !== 0 ? 1 : 0;
        }
      }
    }
    return out;
  }
}

/** The NSL-KDD evaluation sets: features and 0/1 labels (1 = attack). */
export interface KddEvalSet {
  readonly name: string;
  readonly rows: number;
  readonly X: Float64Array;
  readonly y: Uint8Array;
}

/**
 * Builds the training matrix (normal rows of the training file) and the test sets: `KDDTest+`, its
 * attacks of types never seen in the training file (with every normal test row), and `KDDTest-21`.
 */
export function nslKddSets(
  trainRecords: readonly KddRecord[],
  testPlus: readonly KddRecord[],
  test21: readonly KddRecord[] | undefined,
  options: KddFeaturizerOptions = {},
): {
  featurizer: KddFeaturizer;
  train: Float64Array;
  trainRows: number;
  tests: KddEvalSet[];
  novelTypes: string[];
} {
  const normal = trainRecords.filter((r) => r.label === 'normal');
  const featurizer = new KddFeaturizer(options).fit(normal);
  const train = featurizer.transform(normal);
  const seen = new Set(trainRecords.map((r) => r.label));
  const novelTypes = [...new Set(testPlus.map((r) => r.label))].filter((l) => !seen.has(l)).sort();
  const novelSet = new Set(novelTypes);
  const make = (name: string, recs: readonly KddRecord[]): KddEvalSet => ({
    name,
    rows: recs.length,
    X: featurizer.transform(recs),
    y: Uint8Array.from(recs, (r) => (r.label === 'normal' ? 0 : 1)),
  });
  const tests = [make('KDDTest+', testPlus)];
  tests.push(
    make(
      'KDDTest+ novel',
      testPlus.filter((r) => r.label === 'normal' || novelSet.has(r.label)),
    ),
  );
  if (test21 !== undefined) tests.push(make('KDDTest-21', test21));
  return { featurizer, train, trainRows: normal.length, tests, novelTypes };
}

/** The featurization variants {@link chooseKddFeaturization} compares, simplest first. */
export const KDD_FEATURIZATIONS: readonly {
  readonly name: string;
  readonly options: KddFeaturizerOptions;
}[] = [
  { name: 'sign·log1p + one-hot', options: { zeroIndicators: false, quantileNormal: false } },
  { name: 'sign·log1p + one-hot + ≠0 indicators', options: { zeroIndicators: true, quantileNormal: false } },
  { name: 'rank-Gaussian', options: { zeroIndicators: false, quantileNormal: true } },
  { name: 'rank-Gaussian + ≠0 indicators', options: { zeroIndicators: true, quantileNormal: true } },
];

/** What {@link chooseKddFeaturization} found: every variant's mean validation ROC-AUC, and the one chosen. */
export interface KddFeaturizationChoice {
  readonly chosen: (typeof KDD_FEATURIZATIONS)[number];
  readonly validation: readonly { readonly name: string; readonly rocAuc: number }[];
  readonly splits: number;
}

/**
 * Chooses the NSL-KDD featurization **on the training file only**: over `splits` seeded halvings of
 * `train`, each variant of {@link KDD_FEATURIZATIONS} is fitted (featurizer and a full-covariance Gaussian)
 * on the normal rows of one half and scored by ROC-AUC on the other half (its normal rows against its
 * labelled attacks). The best mean wins; a later variant must beat an earlier one by more than 0.001 (ties
 * go to the simpler one). The test files take no part in the choice.
 */
export function chooseKddFeaturization(train: readonly KddRecord[], splits = 5): KddFeaturizationChoice {
  const validation = KDD_FEATURIZATIONS.map((v) => {
    let sum = 0;
    for (let s = 0; s < splits; s++) {
      const perm = new Rng(1000 + s).permutation(train.length);
      const half = Math.floor(train.length / 2);
      const fitRows = Array.from(perm.subarray(0, half), (i) => train[i] as KddRecord).filter(
        (r) => r.label === 'normal',
      );
      const held = Array.from(perm.subarray(half), (i) => train[i] as KddRecord);
      const f = new KddFeaturizer(v.options).fit(fitRows);
      const g = new GaussianDensity({ covariance: 'full', regularization: 1e-6 }).fit(
        new Matrix(fitRows.length, f.cols, f.transform(fitRows)),
      );
      const e = g.energy(new Matrix(held.length, f.cols, f.transform(held)));
      sum += rocAuc(
        Uint8Array.from(held, (r) => (r.label === 'normal' ? 0 : 1)),
        e,
      );
    }
    return { name: v.name, rocAuc: sum / splits };
  });
  let best = 0;
  for (let i = 1; i < validation.length; i++) {
    if (
      (validation[i] as { rocAuc: number }).rocAuc >
      (validation[best] as { rocAuc: number }).rocAuc + 0.001
    )
      best = i;
  }
  return { chosen: KDD_FEATURIZATIONS[best] as (typeof KDD_FEATURIZATIONS)[number], validation, splits };
}
