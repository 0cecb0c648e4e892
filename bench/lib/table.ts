/**
 * Tables for docs/benchmarks.md: markdown rendering, average ranks, and replacing one marked section of a
 * markdown file so that reruns rewrite only their own part.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/** A table cell: a number (formatted to 3 decimals), text, or missing. */
export type Cell = number | string | undefined;

/** Formats a number to 3 decimals; `—` for missing. */
export function fmt(v: Cell, digits = 3): string {
  if (v === undefined) return '—';
  if (typeof v === 'string') return v;
  return Number.isFinite(v) ? v.toFixed(digits) : '—';
}

/**
 * Renders a markdown table. In each row, the numeric cells of `highlight` columns holding the row's
 * largest value among those columns are bolded.
 */
export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly Cell[])[],
  highlight: readonly number[] = [],
  align: readonly ('l' | 'r')[] = [],
): string {
  const sep = header.map((_, j) => ((align[j] ?? (j === 0 ? 'l' : 'r')) === 'l' ? '---' : '---:'));
  const lines = [`| ${header.join(' | ')} |`, `| ${sep.join(' | ')} |`];
  for (const row of rows) {
    let best = Number.NEGATIVE_INFINITY;
    for (const j of highlight) {
      const v = row[j];
      if (typeof v === 'number' && Number.isFinite(v) && Number(v.toFixed(3)) > best)
        best = Number(v.toFixed(3));
    }
    const cells = row.map((v, j) => {
      const s = fmt(v);
      return highlight.includes(j) && typeof v === 'number' && Number(v.toFixed(3)) === best ? `**${s}**` : s;
    });
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

/**
 * Ranks of `values` (1 = largest), ties sharing the average rank; undefined entries get no rank.
 *
 * @example
 * ranks([0.9, 0.8, 0.9]); // [1.5, 3, 1.5]
 */
export function ranks(values: readonly (number | undefined)[]): (number | undefined)[] {
  const idx = values
    .map((v, i) => ({ v, i }))
    .filter((o): o is { v: number; i: number } => o.v !== undefined && Number.isFinite(o.v))
    .sort((a, b) => b.v - a.v);
  const out: (number | undefined)[] = values.map(() => undefined);
  let k = 0;
  while (k < idx.length) {
    let e = k;
    while (e + 1 < idx.length && (idx[e + 1] as { v: number }).v === (idx[k] as { v: number }).v) e++;
    const r = (k + e) / 2 + 1;
    for (let t = k; t <= e; t++) out[(idx[t] as { i: number }).i] = r;
    k = e + 1;
  }
  return out;
}

/**
 * Mean rank per column over the rows where every column has a value (rows with a gap are skipped, so
 * every column is ranked on the same data sets). Returns the ranks and how many rows were used.
 */
export function averageRanks(matrix: readonly (readonly (number | undefined)[])[]): {
  ranks: (number | undefined)[];
  rows: number;
} {
  const cols = matrix[0]?.length ?? 0;
  const sum = new Array<number>(cols).fill(0);
  let used = 0;
  for (const row of matrix) {
    if (row.some((v) => v === undefined || !Number.isFinite(v))) continue;
    const r = ranks(row);
    for (let j = 0; j < cols; j++) sum[j] = (sum[j] as number) + (r[j] as number);
    used++;
  }
  return { ranks: sum.map((s) => (used > 0 ? s / used : undefined)), rows: used };
}

/** Mean of the defined values, or undefined when there are none. */
export function mean(values: readonly (number | undefined)[]): number | undefined {
  const v = values.filter((x): x is number => x !== undefined && Number.isFinite(x));
  return v.length === 0 ? undefined : v.reduce((a, b) => a + b, 0) / v.length;
}

/** Marker comments delimiting a generated section. */
export function markers(id: string): { begin: string; end: string } {
  return {
    begin: `<!-- ${id}:begin (generated; rerun the command below to replace) -->`,
    end: `<!-- ${id}:end -->`,
  };
}

/**
 * Writes `body` between the `id` markers of a markdown file: replaces the existing section, or appends
 * it (after a blank line) when the file has none; creates the file with `title` when it does not exist.
 */
export function writeSection(path: string, id: string, body: string, title = '# Benchmarks'): void {
  const { begin, end } = markers(id);
  const section = `${begin}\n${body.trim()}\n${end}`;
  const text = existsSync(path) ? readFileSync(path, 'utf8') : `${title}\n`;
  const bi = text.indexOf(`<!-- ${id}:begin`);
  const ei = text.indexOf(end);
  let out: string;
  if (bi >= 0 && ei > bi) out = `${text.slice(0, bi)}${section}${text.slice(ei + end.length)}`;
  else out = `${text.replace(/\s*$/, '')}\n\n${section}\n`;
  writeFileSync(path, out);
}
