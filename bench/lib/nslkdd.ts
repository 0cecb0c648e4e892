/**
 * NSL-KDD: reading the 43-column files (41 fields, the label, a difficulty score) and featurizing the 41
 * fields into a numeric matrix — `sign(x)·log1p(|x|)` for the 38 numeric fields, one-hot columns for the
 * categorical `protocol_type`, `service` and `flag` (categories seen in the fitting rows, plus one
 * `<other>` column for categories never seen there), then z-scored with the fitting rows' statistics.
 */
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
}

/** A fitted featurizer: one column per numeric field, one per kept category, one `<other>` per categorical. */
export class KddFeaturizer {
  private readonly minCount: number;
  private readonly dropConstant: boolean;
  /** Indices of the encoded columns kept in the output. */
  private kept: Int32Array = new Int32Array(0);
  private categories: Map<string, number>[] = [];
  private names: string[] = [];
  private mean: Float64Array = new Float64Array(0);
  private scale: Float64Array = new Float64Array(0);

  constructor(options: KddFeaturizerOptions = {}) {
    this.minCount = options.minCategoryCount ?? 1;
    this.dropConstant = options.dropConstant ?? true;
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
    for (let f = 0; f < 41; f++) {
      if (!NSL_KDD_CATEGORICAL.includes(f)) {
        this.names.push(NSL_KDD_FIELDS[f] as string);
        continue;
      }
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
    const raw = this.encode(rows);
    const c = this.names.length;
    const n = rows.length;
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
