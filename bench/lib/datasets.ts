/**
 * Finding data sets in a folder: every `*.csv` / `*.csv.gz` whose header names a label column, in the
 * folder itself and its subfolders (two levels), plus NSL-KDD folders (recognised by their file names).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { datasetName, hasLabelHeader } from './csv.js';

/** One labelled CSV file found on disk. */
export interface DatasetFile {
  /** File name without extension. */
  readonly name: string;
  /** Subfolder it was found in, relative to the searched folder (`''` for the folder itself). */
  readonly group: string;
  readonly path: string;
}

/** The NSL-KDD files of one folder. */
export interface NslKddFiles {
  readonly dir: string;
  readonly train: string;
  readonly testPlus: string;
  readonly test21: string | undefined;
}

const CSV_RE = /\.csv(\.gz)?$/i;

/**
 * Labelled CSV files under `dir` (and subfolders up to `depth` levels), sorted by group then name.
 * Files without a recognised label column are skipped and listed in `skipped`.
 */
export function findDatasets(dir: string, depth = 2): { files: DatasetFile[]; skipped: string[] } {
  const files: DatasetFile[] = [];
  const skipped: string[] = [];
  const walk = (d: string, level: number): void => {
    let entries: string[];
    try {
      entries = readdirSync(d).sort();
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(d, e);
      let isDir = false;
      try {
        isDir = statSync(p).isDirectory();
      } catch {
        continue;
      }
      if (isDir) {
        if (level < depth && !e.startsWith('.')) walk(p, level + 1);
      } else if (CSV_RE.test(e)) {
        if (hasLabelHeader(p)) files.push({ name: datasetName(p), group: relative(dir, d), path: p });
        else skipped.push(relative(dir, p));
      }
    }
  };
  walk(dir, 0);
  files.sort((a, b) => (a.group === b.group ? a.name.localeCompare(b.name) : a.group.localeCompare(b.group)));
  return { files, skipped };
}

/** The NSL-KDD files in `dir`, or undefined when `dir` holds no `KDDTrain+*.txt` and `KDDTest+.txt`. */
export function nslKddFilesIn(dir: string): NslKddFiles | undefined {
  if (!existsSync(dir)) return undefined;
  const names = readdirSync(dir);
  const pick = (re: RegExp): string | undefined => {
    const f = names.filter((n) => re.test(n)).sort()[0];
    return f === undefined ? undefined : join(dir, f);
  };
  const train = pick(/^KDDTrain\+_20Percent\.txt$/i) ?? pick(/^KDDTrain\+.*\.txt$/i);
  const testPlus = pick(/^KDDTest\+\.txt$/i);
  if (train === undefined || testPlus === undefined) return undefined;
  return { dir, train, testPlus, test21: pick(/^KDDTest-21\.txt$/i) };
}

/** The first NSL-KDD folder among `dir` and its direct subfolders. */
export function findNslKdd(dir: string): NslKddFiles | undefined {
  const here = nslKddFilesIn(dir);
  if (here !== undefined) return here;
  let entries: string[] = [];
  try {
    entries = readdirSync(dir).sort();
  } catch {
    return undefined;
  }
  for (const e of entries) {
    const p = join(dir, e);
    try {
      if (!statSync(p).isDirectory()) continue;
    } catch {
      continue;
    }
    const f = nslKddFilesIn(p);
    if (f !== undefined) return f;
  }
  return undefined;
}
