/**
 * Published results to set beside ours: PyOD's 2024 benchmark notebooks (ROC-AUC and average precision,
 * `0.0` = not run) and ADBench's Table D4 (unsupervised ROC-AUC in %, mean of 3 seeds). Joined to our data
 * sets by name (case- and punctuation-insensitive).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { splitCsvLine } from './csv.js';

/** method → value, per data set key. */
export interface PublishedTable {
  /** Source label, e.g. `pyod-2024`. */
  readonly source: string;
  /** Metric unit: `roc_auc` or `average_precision`. */
  readonly unit: 'roc_auc' | 'average_precision';
  /** Method names in table order. */
  readonly methods: readonly string[];
  /** Normalised data set name → method → value in [0, 1]. */
  readonly rows: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

/** Key used to join data set names: lower-case letters and digits only. */
export function joinKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * Parses a published table. `firstMethodCol` is the index of the first method column; `scale` divides
 * every value (100 for percentages); values ≤ 0 or empty cells are treated as "not run".
 */
export function parsePublished(
  text: string,
  source: string,
  unit: PublishedTable['unit'],
  firstMethodCol: number,
  scale: number,
): PublishedTable {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = splitCsvLine(lines[0] ?? '').map((h) => h.trim());
  const methods = header.slice(firstMethodCol);
  const rows = new Map<string, Map<string, number>>();
  for (const line of lines.slice(1)) {
    const cells = splitCsvLine(line);
    const key = joinKey(cells[0] ?? '');
    if (key === '' || rows.has(key)) continue;
    const m = new Map<string, number>();
    for (let j = 0; j < methods.length; j++) {
      const cell = (cells[firstMethodCol + j] ?? '').trim();
      const v = cell === '' ? Number.NaN : Number(cell) / scale;
      if (Number.isFinite(v) && v > 0) m.set(methods[j] as string, v);
    }
    rows.set(key, m);
  }
  return { source, unit, methods, rows };
}

/** The published tables found in `dir` (missing files are skipped). */
export function loadPublished(dir: string): PublishedTable[] {
  const out: PublishedTable[] = [];
  const add = (file: string, f: (text: string) => PublishedTable): void => {
    const p = join(dir, file);
    if (existsSync(p)) out.push(f(readFileSync(p, 'utf8')));
  };
  add('pyod_notebooks_roc_2024.csv', (t) => parsePublished(t, 'pyod-2024', 'roc_auc', 4, 1));
  add('pyod_notebooks_prc_2024.csv', (t) => parsePublished(t, 'pyod-2024', 'average_precision', 4, 1));
  add('adbench_tableD4_unsupervised_aucroc.csv', (t) => parsePublished(t, 'adbench-D4', 'roc_auc', 1, 100));
  return out;
}

/** A published value, or undefined when the table lacks the data set or the method did not run. */
export function publishedValue(t: PublishedTable, dataset: string, method: string): number | undefined {
  return t.rows.get(joinKey(dataset))?.get(method);
}

/**
 * The method with the best mean over `datasets` among methods that ran on all of them (or undefined when
 * the table covers none of them).
 */
export function bestMethod(
  t: PublishedTable,
  datasets: readonly string[],
): { method: string; mean: number } | undefined {
  const covered = datasets.filter((d) => t.rows.has(joinKey(d)));
  if (covered.length === 0) return undefined;
  let best: { method: string; mean: number } | undefined;
  for (const m of t.methods) {
    let s = 0;
    let ok = true;
    for (const d of covered) {
      const v = publishedValue(t, d, m);
      if (v === undefined) {
        ok = false;
        break;
      }
      s += v;
    }
    if (!ok) continue;
    const mean = s / covered.length;
    if (best === undefined || mean > best.mean) best = { method: m, mean };
  }
  return best;
}
