/**
 * Reading labelled tabular data sets: a CSV file (optionally gzipped) with a header row, numeric feature
 * columns and one label column (1 = anomaly, 0 = normal). Nothing here is specific to any one folder.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { constants, gunzipSync } from 'node:zlib';

/** Header names recognised as the label column (case-insensitive), in order of preference. */
export const LABEL_NAMES: readonly string[] = [
  'label',
  'y',
  'class',
  'outlier',
  'anomaly',
  'is_anomaly',
  'target',
];

/** A labelled data set held in memory: row-major features and 0/1 labels. */
export interface LabelledData {
  /** File name without `.csv` / `.csv.gz`. */
  readonly name: string;
  readonly rows: number;
  readonly cols: number;
  /** Row-major, `rows * cols`. */
  readonly X: Float64Array;
  /** 1 = anomaly, 0 = normal. */
  readonly y: Uint8Array;
  readonly featureNames: readonly string[];
}

/** The data set name of a path: its file name without `.csv`, `.csv.gz`, `.txt` or `.gz`. */
export function datasetName(path: string): string {
  return basename(path)
    .replace(/\.gz$/i, '')
    .replace(/\.(csv|txt|tsv)$/i, '');
}

/** The whole text of a file, gunzipped when it ends in `.gz`. */
export function readText(path: string): string {
  const buf = readFileSync(path);
  return (path.toLowerCase().endsWith('.gz') ? gunzipSync(buf) : buf).toString('utf8');
}

/** Splits one CSV line on commas, honouring simple double quotes. */
export function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (ch === '"') {
      if (quoted && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else quoted = !quoted;
    } else if (ch === ',' && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** Index of the label column in a header, or -1 when none of {@link LABEL_NAMES} is present. */
export function labelColumn(header: readonly string[]): number {
  const lower = header.map((h) => h.trim().replace(/^"|"$/g, '').toLowerCase());
  for (const name of LABEL_NAMES) {
    const i = lower.lastIndexOf(name);
    if (i >= 0) return i;
  }
  return -1;
}

/** Whether a file's header names a label column (reads only the first line of plain files). */
export function hasLabelHeader(path: string): boolean {
  let text: string;
  try {
    const head = readFileSync(path).subarray(0, 65536);
    text = path.toLowerCase().endsWith('.gz')
      ? gunzipSync(head, { finishFlush: constants.Z_SYNC_FLUSH }).toString('utf8')
      : head.toString('utf8');
  } catch {
    return false;
  }
  const nl = text.search(/\r?\n/);
  const first = nl < 0 ? text : text.slice(0, nl);
  return labelColumn(splitCsvLine(first)) >= 0;
}

/**
 * Parses labelled CSV text. Labels: `1` (or any positive number, `true`, `anomaly`, `outlier`) is an
 * anomaly, `0` (or `false`, `normal`, `inlier`) is normal. Feature cells must be finite numbers; an
 * empty or non-numeric cell throws with its line number.
 */
export function parseLabelledCsv(text: string, name: string): LabelledData {
  const lines = text.split(/\r?\n/);
  const header = splitCsvLine(lines[0] ?? '');
  const li = labelColumn(header);
  if (li < 0) {
    throw new Error(
      `readLabelledCsv: no label column in ${name} (expected a header naming one of ${LABEL_NAMES.join('/')}, got ${header.slice(0, 8).join(',')}…)`,
    );
  }
  const featIdx: number[] = [];
  for (let j = 0; j < header.length; j++) if (j !== li) featIdx.push(j);
  const cols = featIdx.length;
  const featureNames = featIdx.map((j) => (header[j] as string).trim());
  let X = new Float64Array(Math.max(16, (lines.length - 1) * cols));
  const y: number[] = [];
  let r = 0;
  for (let ln = 1; ln < lines.length; ln++) {
    const line = lines[ln] as string;
    if (line.trim() === '') continue;
    const cells = splitCsvLine(line);
    if (cells.length !== header.length) {
      throw new Error(
        `readLabelledCsv: ${name} line ${ln + 1}: wrong number of cells (expected ${header.length}, got ${cells.length})`,
      );
    }
    if ((r + 1) * cols > X.length) {
      const grown = new Float64Array(X.length * 2);
      grown.set(X);
      X = grown;
    }
    for (let k = 0; k < cols; k++) {
      const cell = (cells[featIdx[k] as number] as string).trim();
      const v = cell === '' ? Number.NaN : Number(cell);
      if (!Number.isFinite(v)) {
        throw new Error(
          `readLabelledCsv: ${name} line ${ln + 1}: non-numeric value in column ${featureNames[k]} (expected a finite number, got ${JSON.stringify(cell)})`,
        );
      }
      X[r * cols + k] = v;
    }
    y.push(parseLabel((cells[li] as string).trim(), name, ln + 1));
    r++;
  }
  return { name, rows: r, cols, X: X.slice(0, r * cols), y: Uint8Array.from(y), featureNames };
}

function parseLabel(cell: string, name: string, line: number): number {
  const c = cell.replace(/^"|"$/g, '').toLowerCase();
  if (c === 'true' || c === 'anomaly' || c === 'outlier' || c === 'yes') return 1;
  if (c === 'false' || c === 'normal' || c === 'inlier' || c === 'no') return 0;
  const v = Number(c);
  if (c === '' || !Number.isFinite(v)) {
    throw new Error(
      `readLabelledCsv: ${name} line ${line}: invalid label (expected 0 or 1, got ${JSON.stringify(cell)})`,
    );
  }
  return v > 0 ? 1 : 0;
}

/** Reads a labelled CSV file (gunzipping `*.gz`); the data set is named after the file. */
export function readLabelledCsv(path: string): LabelledData {
  return parseLabelledCsv(readText(path), datasetName(path));
}
