/**
 * The accuracy section of docs/benchmarks.md: per-protocol tables of our models beside published
 * columns, means and average ranks, the targets, NSL-KDD, and a closing note naming the data
 * sets where we lose with a likely reason (diagnosed from the run itself).
 */
import { ENSEMBLE_MODELS, MODEL_DEFAULTS, type ModelName } from './models.js';
import type { KddFeaturizationChoice } from './nslkdd.js';
import type { ProtocolName } from './protocols.js';
import { bestMethod, type PublishedTable, publishedValue } from './published.js';
import { averageRanks, type Cell, fmt, markdownTable, mean } from './table.js';

/** One NSL-KDD figure. */
export interface NslKddResult {
  readonly test: string;
  readonly model: ModelName;
  readonly rocAuc: number;
  readonly averagePrecision: number;
  readonly rows: number;
  readonly anomalies: number;
}

/** Everything a run measured, as the renderer needs it. */
export interface AccuracyResults {
  readonly protocols: readonly ProtocolName[];
  readonly models: readonly ModelName[];
  /** Members of the ensemble. */
  readonly members: readonly ModelName[];
  readonly seeds: number;
  readonly maxTrain: number;
  readonly datasets: readonly {
    name: string;
    group: string;
    rows: number;
    cols: number;
    anomalies: number;
  }[];
  /** Mean over seeds, or undefined when the model did not run there. */
  mean(
    protocol: ProtocolName,
    dataset: string,
    model: ModelName,
    metric: 'rocAuc' | 'averagePrecision',
  ): number | undefined;
  /** One seed's score, or undefined when that seed did not run there (e.g. a one-class test part). */
  seedScore(
    protocol: ProtocolName,
    dataset: string,
    model: ModelName,
    metric: 'rocAuc' | 'averagePrecision',
    seed: number,
  ): number | undefined;
  readonly published: readonly PublishedTable[];
  readonly nslKdd: NslKddResult[];
  readonly nslKddNovelTypes: string[];
  /** How the NSL-KDD featurization was chosen (validation on the training file), when NSL-KDD ran. */
  nslKddFeaturization: KddFeaturizationChoice | undefined;
  readonly failures: readonly string[];
  seconds: number;
  /** CPU seconds of the run (user + system), for comparing with other machines under load. */
  cpuSeconds: number;
  command: string;
  /** `--reuse-members DIR`: the dump folder and the members fitted again anyway (`--refit`). */
  reused?: { readonly dir: string; readonly refit: readonly string[] } | undefined;
}

/** Published columns shown per protocol (source, unit, methods). */
interface PeerColumns {
  readonly table: PublishedTable;
  readonly methods: readonly string[];
}

const PYOD_METHODS = ['IForest', 'INNE', 'KNN', 'MCD', 'GMM', 'AutoEncoder'];
const ADBENCH_METHODS = ['IForest', 'PCA', 'OCSVM', 'KNN', 'LOF', 'ECOD'];
const NEIGHBOUR_BASED = new Set([
  'KNN',
  'LOF',
  'ABOD',
  'KDE',
  'INNE',
  'LSCP',
  'SOD',
  'COF',
  'CBLOF',
  'SOS',
  'LOCI',
]);

/** Reference ROC-AUCs on NSL-KDD from the data README (scikit-learn / PyTorch, same protocol). */
export const NSL_KDD_REFERENCE: readonly { name: string; plus: number; novel: number; minus21: number }[] = [
  { name: 'full-covariance Gaussian (scikit-learn)', plus: 0.97, novel: 0.954, minus21: 0.864 },
  { name: '4-component mixture (scikit-learn)', plus: 0.958, novel: 0.91, minus21: 0.857 },
  { name: 'autoencoder (PyTorch)', plus: 0.954, novel: 0.936, minus21: 0.787 },
  { name: 'IsolationForest (scikit-learn)', plus: 0.94, novel: 0.942, minus21: 0.727 },
];
/** The NSL-KDD targets (ROC-AUC). */
export const NSL_KDD_TARGETS: Readonly<Record<string, number>> = {
  'KDDTest+': 0.98,
  'KDDTest+ novel': 0.96,
  'KDDTest-21': 0.9,
};

function peersFor(
  r: AccuracyResults,
  protocol: ProtocolName,
  unit: PublishedTable['unit'],
): PeerColumns | undefined {
  if (protocol === 'pyod') {
    const t = r.published.find((p) => p.source === 'pyod-2024' && p.unit === unit);
    return t === undefined
      ? undefined
      : { table: t, methods: PYOD_METHODS.filter((m) => t.methods.includes(m)) };
  }
  if (protocol === 'adbench' && unit === 'roc_auc') {
    const t = r.published.find((p) => p.source === 'adbench-D4');
    return t === undefined
      ? undefined
      : { table: t, methods: ADBENCH_METHODS.filter((m) => t.methods.includes(m)) };
  }
  return undefined;
}

/** The best method of a published table on one data set (over all its methods). */
function bestOn(t: PublishedTable, dataset: string): { method: string; value: number } | undefined {
  let best: { method: string; value: number } | undefined;
  for (const m of t.methods) {
    const v = publishedValue(t, dataset, m);
    if (v !== undefined && (best === undefined || v > best.value)) best = { method: m, value: v };
  }
  return best;
}

function singles(r: AccuracyResults): ModelName[] {
  return r.models.filter((m) => !ENSEMBLE_MODELS.includes(m));
}

/** Our best single energy's value on a data set. */
function bestSingle(
  r: AccuracyResults,
  p: ProtocolName,
  d: string,
  metric: 'rocAuc' | 'averagePrecision',
): number | undefined {
  let best: number | undefined;
  for (const m of singles(r)) {
    const v = r.mean(p, d, m, metric);
    if (v !== undefined && (best === undefined || v > best)) best = v;
  }
  return best;
}

function protocolTable(
  r: AccuracyResults,
  protocol: ProtocolName,
  metric: 'rocAuc' | 'averagePrecision',
): string {
  const unit = metric === 'rocAuc' ? 'roc_auc' : 'average_precision';
  const peers = peersFor(r, protocol, unit);
  const methods = peers?.methods ?? [];
  const src = peers === undefined ? '' : peers.table.source === 'pyod-2024' ? 'PyOD' : 'ADBench';
  const header = [
    'data set',
    'n × d',
    'anom. %',
    ...r.models,
    ...methods.map((m) => `${src} ${m}`),
    ...(peers === undefined ? [] : ['best published (all methods)', 'Δ our best single − best published']),
  ];
  const nOurs = r.models.length;
  const valueCols = Array.from({ length: nOurs + methods.length }, (_, j) => 3 + j);
  const rows: Cell[][] = [];
  const matrix: (number | undefined)[][] = [];
  const covered: (number | undefined)[][] = [];
  for (const d of r.datasets) {
    const ours = r.models.map((m) => r.mean(protocol, d.name, m, metric));
    if (ours.every((v) => v === undefined)) continue;
    const theirs = methods.map((m) =>
      peers === undefined ? undefined : publishedValue(peers.table, d.name, m),
    );
    const row: Cell[] = [
      d.name,
      `${d.rows} × ${d.cols}`,
      ((100 * d.anomalies) / d.rows).toFixed(1),
      ...ours,
      ...theirs,
    ];
    if (peers !== undefined) {
      const b = bestOn(peers.table, d.name);
      const ob = bestSingle(r, protocol, d.name, metric);
      row.push(b === undefined ? undefined : `${fmt(b.value)} (${b.method})`);
      if (b === undefined || ob === undefined) row.push(undefined);
      else {
        const delta = ob - b.value;
        row.push(`${delta >= 0 ? '+' : '−'}${Math.abs(delta).toFixed(3)}${delta < 0 ? ' ✗ we lose' : ''}`);
      }
    }
    rows.push(row);
    matrix.push([...ours, ...theirs]);
    if (theirs.length > 0 && theirs.every((v) => v !== undefined)) covered.push([...ours, ...theirs]);
  }
  const extra = peers === undefined ? 0 : 2;
  const pad = (): Cell[] => Array.from({ length: extra }, () => '');
  if (covered.length > 0 && covered.length < matrix.length) {
    rows.push([
      `**mean (${covered.length} sets with published values)**`,
      '',
      '',
      ...colMeans(covered),
      ...pad(),
    ]);
  }
  rows.push([
    `**mean (${matrix.length} sets)**`,
    '',
    '',
    ...colMeans(matrix).map((v, j) => (j < nOurs || covered.length === matrix.length ? v : undefined)),
    ...pad(),
  ]);
  const rankBase = covered.length > 0 ? covered : matrix;
  const ar = averageRanks(rankBase);
  rows.push([
    `**average rank (${ar.rows} sets; 1 = best)**`,
    '',
    '',
    ...ar.ranks.map((v) => (v === undefined ? undefined : v.toFixed(2))),
    ...pad(),
  ]);
  const title = `${protocolTitle(protocol)} — ${metric === 'rocAuc' ? 'ROC-AUC' : 'average precision'}`;
  const srcNote =
    peers === undefined
      ? 'No published figures use this protocol.'
      : peers.table.source === 'pyod-2024'
        ? 'Published columns: PyOD benchmark notebooks, 2024 (`pyod_notebooks_*_2024.csv`; 60/40 split, 10 random splits).'
        : 'Published columns: ADBench Table D4 (unsupervised, ROC-AUC mean of 3 seeds, 70/30 stratified split).';
  return `### ${title}\n\n${srcNote} Best value per row in bold.\n\n${markdownTable(header, rows, valueCols)}\n`;
}

function colMeans(m: readonly (readonly (number | undefined)[])[]): (number | undefined)[] {
  const cols = m[0]?.length ?? 0;
  return Array.from({ length: cols }, (_, j) => mean(m.map((row) => row[j])));
}

function protocolTitle(p: ProtocolName): string {
  switch (p) {
    case 'pyod':
      return 'pyod protocol (60/40 random split, z-scored on the training part, anomalies in training)';
    case 'adbench':
      return 'adbench protocol (70/30 stratified split, z-scored on the training part, anomalies in training)';
    case 'clean':
      return 'clean protocol (fit on 60 % of the normal rows; test on the other normal rows and every anomaly)';
  }
}

/**
 * Standard error over seeds of a model's mean ROC-AUC over `sets`: the mean over the sets is taken per seed
 * (seeds where some set did not run are left out), then `sd / √seeds`; undefined with fewer than 2 seeds.
 *
 * @example
 * ```ts
 * seedStandardError(results, 'pyod', ['cardio', 'wbc'], 'mixture'); // e.g. 0.004
 * ```
 */
export function seedStandardError(
  r: AccuracyResults,
  protocol: ProtocolName,
  sets: readonly string[],
  model: ModelName,
): number | undefined {
  const perSeed: number[] = [];
  for (let s = 0; s < r.seeds; s++) {
    const v = sets.map((d) => r.seedScore(protocol, d, model, 'rocAuc', s));
    if (v.every((x): x is number => x !== undefined)) perSeed.push(v.reduce((a, b) => a + b, 0) / v.length);
  }
  if (perSeed.length < 2) return undefined;
  const m = perSeed.reduce((a, b) => a + b, 0) / perSeed.length;
  const variance = perSeed.reduce((a, b) => a + (b - m) ** 2, 0) / (perSeed.length - 1);
  return Math.sqrt(variance / perSeed.length);
}

/**
 * Targets of the accuracy issues (issue 19 for ODDS, adbench and the NSL-KDD floor; issue 8 for the NSL-KDD
 * levels). A target stated as "> x" is met only above x; "≥ x" at x or above (compared at full precision).
 */
const PYOD_SINGLE_TARGET = 0.827;
const PYOD_ENSEMBLE_TARGET = 0.84;
/** NSL-KDD best-model ROC-AUC before issue 19 (stop 24): the floor issue 19 keeps. */
export const NSL_KDD_FLOOR: Readonly<Record<string, number>> = {
  'KDDTest+': 0.974,
  'KDDTest+ novel': 0.957,
  'KDDTest-21': 0.882,
};

function targetsSection(r: AccuracyResults): string {
  const lines: string[] = [];
  /** One target: met when `ours op ref` (compared at full precision); the reference cell is `op refText`. */
  const row = (
    what: string,
    ours: number | undefined,
    ref: number | undefined,
    op: '>' | '≥',
    refText: string,
    se?: number,
  ): void => {
    const ok = ours !== undefined && ref !== undefined ? (op === '>' ? ours > ref : ours >= ref) : undefined;
    const met = ok === undefined ? '—' : ok ? '✓ met' : '✗ missed';
    const spread = se === undefined ? '' : ` ± ${se.toFixed(3)}`;
    lines.push(`| ${what} | ${fmt(ours)}${spread} | ${op} ${refText} | ${met} |`);
  };
  const pyod = r.published.find((t) => t.source === 'pyod-2024' && t.unit === 'roc_auc');
  if (r.protocols.includes('pyod') && pyod !== undefined) {
    const covered = r.datasets
      .map((d) => d.name)
      .filter((n) => publishedValue(pyod, n, 'INNE') !== undefined);
    const meanOf = (m: ModelName): number | undefined =>
      mean(covered.map((d) => r.mean('pyod', d, m, 'rocAuc')));
    const best = bestMethod(pyod, covered);
    let bestOurs: { m: ModelName; v: number } | undefined;
    for (const m of singles(r)) {
      const v = meanOf(m);
      if (v !== undefined && (bestOurs === undefined || v > bestOurs.v)) bestOurs = { m, v };
    }
    const pm = (m: string): number | undefined => mean(covered.map((d) => publishedValue(pyod, d, m)));
    const se = (m: ModelName): number | undefined => seedStandardError(r, 'pyod', covered, m);
    const bestName = `best in PyOD 2024: ${best?.method ?? '—'} ${fmt(best?.mean)}`;
    if (covered.length > 0) {
      row(
        `pyod protocol, ${covered.length} sets: best single energy (${bestOurs?.m ?? '—'}) mean ROC-AUC`,
        bestOurs?.v,
        PYOD_SINGLE_TARGET,
        '>',
        `${PYOD_SINGLE_TARGET} (${bestName})`,
        bestOurs === undefined ? undefined : se(bestOurs.m),
      );
      if (r.models.includes('ensemble'))
        row(
          '… ensemble mean ROC-AUC (not a single energy)',
          meanOf('ensemble'),
          PYOD_ENSEMBLE_TARGET,
          '≥',
          `${PYOD_ENSEMBLE_TARGET.toFixed(2)} (target; ${bestName})`,
          se('ensemble'),
        );
      if (r.models.includes('autoencoder')) {
        const ref = pm('AutoEncoder');
        row(
          '… autoencoder mean ROC-AUC',
          meanOf('autoencoder'),
          ref,
          '≥',
          `${fmt(ref)} (PyOD AutoEncoder)`,
          se('autoencoder'),
        );
      }
      if (r.models.includes('mixture')) {
        const ref = pm('GMM');
        row('… mixture mean ROC-AUC', meanOf('mixture'), ref, '>', `${fmt(ref)} (PyOD GMM)`, se('mixture'));
      }
    }
  }
  const adb = r.published.find((t) => t.source === 'adbench-D4');
  if (r.protocols.includes('adbench') && adb !== undefined && r.models.includes('ensemble')) {
    const covered = r.datasets
      .map((d) => d.name)
      .filter((n) => publishedValue(adb, n, 'IForest') !== undefined);
    // #19's bar is IForest's mean ("ADBench's best published mean"); on a subset of ADBench's sets another
    // method can average higher, and the reference says so
    const iforest = mean(covered.map((d) => publishedValue(adb, d, 'IForest')));
    const best = bestMethod(adb, covered);
    const higher =
      best !== undefined && best.method !== 'IForest'
        ? `; on these sets ${best.method}'s mean is higher, ${fmt(best.mean)}`
        : '';
    if (covered.length > 0 && iforest !== undefined)
      row(
        `adbench protocol, ${covered.length} sets in ADBench D4: ensemble mean ROC-AUC`,
        mean(covered.map((d) => r.mean('adbench', d, 'ensemble', 'rocAuc'))),
        iforest,
        '>',
        `${fmt(iforest)} (ADBench D4 IForest${higher})`,
        seedStandardError(r, 'adbench', covered, 'ensemble'),
      );
  }
  for (const [test, target] of Object.entries(NSL_KDD_TARGETS)) {
    const res = r.nslKdd.filter((x) => x.test === test);
    if (res.length === 0) continue;
    const best = res.reduce((a, b) => (b.rocAuc > a.rocAuc ? b : a));
    const floor = NSL_KDD_FLOOR[test];
    // the floor is stated to three decimals, so it is compared at three decimals
    if (floor !== undefined)
      row(
        `NSL-KDD ${test}: best model (${best.model}) ROC-AUC, not lower than before`,
        Math.round(best.rocAuc * 1000) / 1000,
        floor,
        '≥',
        `${fmt(floor)} (best model before issue 19, to 3 decimals)`,
      );
    row(
      `NSL-KDD ${test}: best model (${best.model}) ROC-AUC`,
      best.rocAuc,
      target,
      '≥',
      `${target.toFixed(2)} (issue 8 target)`,
    );
  }
  if (lines.length === 0) return '';
  return `### Targets\n\n"± x" is the standard error over seeds of the mean over data sets (each seed is its own split and model seed; PyOD's table averages 10 random splits). Targets are compared at full precision (the NSL-KDD floor, stated to three decimals, at three); the table shows three decimals.\n\n| target | ours | target (reference) | |\n| --- | ---: | ---: | --- |\n${lines.join('\n')}\n`;
}

/** The NSL-KDD featurization text: the variants, their validation ROC-AUC on the training file, the choice. */
function featurization(r: AccuracyResults): string {
  const c = r.nslKddFeaturization;
  const variants =
    "the 38 numeric fields as sign·log1p, optionally with a `field≠0` indicator for each numeric field that takes values other than 0 and 1 (most are zero-inflated); one-hot `protocol_type`, `service`, `flag` (categories seen in the normal training rows plus one `<other>` column each); optionally every column mapped to normal scores by its empirical distribution in the normal training rows (rank-Gaussian, as scikit-learn's `QuantileTransformer(output_distribution='normal')`, clipped at ±5.2); then z-scored, and constant columns dropped";
  if (c === undefined) return variants;
  const scores = c.validation.map((v) => `${v.name} ${v.rocAuc.toFixed(4)}`).join(', ');
  return `${variants}. Which variant is used is decided on the training file alone: a full-covariance Gaussian fitted on the normal rows of one half of KDDTrain+_20Percent and scored on the other half (normal rows against its labelled attacks), mean ROC-AUC over ${c.splits} seeded halvings — ${scores} — chose **${c.chosen.name}** (a richer variant must win by more than 0.001); the test files take no part in the choice`;
}

function nslSection(r: AccuracyResults): string {
  if (r.nslKdd.length === 0) return '';
  const tests = [...new Set(r.nslKdd.map((x) => x.test))];
  const header = ['model', ...tests.flatMap((t) => [`${t} ROC-AUC`, `${t} AP`])];
  const rows: Cell[][] = [];
  for (const m of r.models) {
    const row: Cell[] = [m];
    for (const t of tests) {
      const x = r.nslKdd.find((y) => y.test === t && y.model === m);
      row.push(x?.rocAuc, x?.averagePrecision);
    }
    rows.push(row);
  }
  for (const ref of NSL_KDD_REFERENCE) {
    const vals: Record<string, number> = {
      'KDDTest+': ref.plus,
      'KDDTest+ novel': ref.novel,
      'KDDTest-21': ref.minus21,
    };
    rows.push([`reference: ${ref.name}`, ...tests.flatMap((t) => [vals[t], undefined])]);
  }
  rows.push(['target', ...tests.flatMap((t) => [NSL_KDD_TARGETS[t], undefined])]);
  const sizes = tests
    .map((t) => {
      const x = r.nslKdd.find((y) => y.test === t);
      return x === undefined ? '' : `${t}: ${x.rows} rows, ${x.anomalies} attacks`;
    })
    .join('; ');
  return `### NSL-KDD (fit on the normal rows of KDDTrain+_20Percent.txt only)

Features (one rule for all 41 fields, fitted on the normal training rows): ${featurization(r)}. The reference rows below used sign·log1p and one-hot, z-scored. ${sizes}. "KDDTest+ novel" = the normal rows of KDDTest+ and its attacks of the ${r.nslKddNovelTypes.length} types that never occur in the training file (${r.nslKddNovelTypes.join(', ')}). Mean of ${Math.min(r.seeds, 3)} seed(s). Reference rows are the README's scikit-learn/PyTorch figures, not ours.

${markdownTable(header, rows)}
`;
}

function closingNote(r: AccuracyResults): string {
  const notes: string[] = [];
  for (const protocol of r.protocols) {
    const peers = peersFor(r, protocol, 'roc_auc');
    if (peers === undefined) continue;
    for (const d of r.datasets) {
      const ob = bestSingle(r, protocol, d.name, 'rocAuc');
      const b = bestOn(peers.table, d.name);
      if (ob === undefined || b === undefined || ob >= b.value - 0.02) continue;
      notes.push(
        `- **${d.name}** (${protocol}): our best single energy ${fmt(ob)} vs ${fmt(b.value)} (${peers.table.source} ${b.method}) — ${diagnose(r, protocol, d, ob, b)}.`,
      );
    }
  }
  if (notes.length === 0)
    return '### Where we lose\n\nNowhere by more than 0.02 ROC-AUC against the best published method of a data set.\n';
  return `### Where we lose (by more than 0.02 ROC-AUC against the best published method on that data set)

Likely reasons are diagnosed from this run: contamination when the clean protocol scores much higher, a hard set when every published method is weak too, few rows per feature, or local structure when a neighbour-based method wins.

${notes.join('\n')}
`;
}

function diagnose(
  r: AccuracyResults,
  protocol: ProtocolName,
  d: { name: string; rows: number; cols: number; anomalies: number },
  ours: number,
  best: { method: string; value: number },
): string {
  const clean = r.protocols.includes('clean') ? bestSingle(r, 'clean', d.name, 'rocAuc') : undefined;
  const pct = ((100 * d.anomalies) / d.rows).toFixed(1);
  if (best.value < 0.7) {
    const cleanToo = clean === undefined ? '' : `; fitted on clean rows our best reaches only ${fmt(clean)}`;
    return `hard for every detector (best published ${fmt(best.value)}${cleanToo}): the labelled anomalies are not low-density points`;
  }
  if (clean !== undefined && clean - ours > 0.05) {
    return `training contamination: ${pct} % of the training rows are anomalies and the densities fit them too (the clean protocol reaches ${fmt(clean)})`;
  }
  const nTrain = Math.round((protocol === 'adbench' ? 0.7 : 0.6) * d.rows);
  if (nTrain < 10 * d.cols) {
    return `few training rows per feature (${nTrain} rows for ${d.cols} features): covariances and networks are poorly determined`;
  }
  if (NEIGHBOUR_BASED.has(best.method)) {
    return `local structure: the winner (${best.method}) is neighbour-based, while our energies are global densities or reconstructions`;
  }
  return `our global energies trail ${best.method} by ${(best.value - ours).toFixed(3)}`;
}

/** What the header says about where the figures come from. */
function reusedNote(r: AccuracyResults): string {
  const base =
    'Every figure below was measured in that run except the published columns and NSL-KDD reference rows.';
  if (r.reused === undefined) return base;
  const fitted = r.members.filter((m) => r.reused?.refit.includes(m));
  const read = r.members.filter((m) => !r.reused?.refit.includes(m));
  return `Every figure below comes from that run except the published columns and NSL-KDD reference rows; ${
    fitted.length > 0
      ? `${fitted.join(', ')} ${fitted.length === 1 ? 'was' : 'were'} fitted in it, while `
      : ''
  }the energies of ${read.join(', ')} were read from the dumps in \`${r.reused.dir}\` (written by \`--dump-energies\` in an earlier run of the bench on the same splits and seeds), so their columns are that run's, and the ensemble was formed from them in this run.`;
}

/** The whole accuracy section (markdown, without the marker comments). */
export function renderAccuracySection(r: AccuracyResults): string {
  const parts: string[] = [];
  parts.push(`## Accuracy on real data

Produced by \`${r.command} --write-docs\` on ${new Date().toISOString().slice(0, 10)} (${r.seconds.toFixed(0)} s wall clock on a shared 2-core machine, ${r.cpuSeconds.toFixed(0)} s CPU, Node ${process.version}). ${reusedNote(r)} Scores are means over ${r.seeds} seed(s) (split and model seeds); models are fitted on at most ${r.maxTrain} training rows (a seeded random subsample) and score every test row.

Models (hyperparameters are label-free defaults that depend only on the training size n × d):
${r.models.map((m) => `- \`${m}\`: ${MODEL_DEFAULTS[m]}${m === 'ensemble' ? ` (members: ${r.members.join(', ')})` : ''}`).join('\n')}
`);
  parts.push(targetsSection(r));
  for (const p of r.protocols) {
    parts.push(protocolTable(r, p, 'rocAuc'));
    parts.push(protocolTable(r, p, 'averagePrecision'));
  }
  parts.push(nslSection(r));
  parts.push(closingNote(r));
  if (r.failures.length > 0) {
    parts.push(
      `### Failures\n\n${r.failures
        .slice(0, 30)
        .map((f) => `- ${f}`)
        .join('\n')}\n`,
    );
  }
  return parts.filter((p) => p !== '').join('\n');
}
