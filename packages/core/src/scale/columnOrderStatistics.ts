/**
 * Exact order statistics of every column of rows read in passes, in memory that does not grow with the
 * number of rows: a radix selection on the bits of the floating-point values.
 *
 * Each finite double maps to a 64-bit key whose unsigned order is the numeric order (−0 before +0, as a
 * `Float64Array` sorts). The first pass counts every column's keys by their top 12 bits; the bin holding the
 * k-th smallest value is found from the cumulative counts. Each later pass looks only at the values inside
 * a target's bin: when the bin holds few enough of them they are collected, sorted and read off exactly;
 * otherwise the next 12 bits are counted (and a bin whose values are all one key is settled at once). Every
 * pass narrows a bin by a factor of 4,096 in key space, so at most six passes settle any target, and three
 * are typical (values spread over many binades settle in two).
 *
 * @module
 */
import { message, ValueError } from '../errors.js';
import { checkedBlocks, type RowSource } from '../matrix/RowSource.js';

/** Bits of the key counted per pass. */
const BITS = 12;
const BINS = 1 << BITS;
/** Values collected at most over all unsettled bins of one pass, by default (8 bytes each: 32 MiB). */
const COLLECT_BUDGET = 1 << 22;
/** Bins counted at most in one pass (4,096 counts of 8 bytes each: 32 MiB); the others wait a pass. */
const MAX_COUNTED = 1024;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HI = LITTLE_ENDIAN ? 1 : 0;
const LO = LITTLE_ENDIAN ? 0 : 1;

/** The high word of a double's order-preserving key. */
function keyHi(hi: number): number {
  return (hi & 0x80000000) !== 0 ? ~hi >>> 0 : (hi ^ 0x80000000) >>> 0;
}

/** The low word of a double's order-preserving key (`hi`: the raw high word). */
function keyLo(hi: number, lo: number): number {
  return (hi & 0x80000000) !== 0 ? ~lo >>> 0 : lo >>> 0;
}

/** `len` (≤ 16) key bits starting `start` bits from the top. */
function bitsAt(khi: number, klo: number, start: number, len: number): number {
  const mask = (1 << len) - 1;
  if (start + len <= 32) return (khi >>> (32 - start - len)) & mask;
  if (start >= 32) return (klo >>> (64 - start - len)) & mask;
  const fromHi = 32 - start;
  const fromLo = len - fromHi;
  return ((khi & ((1 << fromHi) - 1)) << fromLo) | (klo >>> (32 - fromLo));
}

/** Whether the top `len` (≥ 1) key bits equal the prefix (`phi`: its first ≤ 32 bits, `plo`: the rest). */
function hasPrefix(khi: number, klo: number, len: number, phi: number, plo: number): boolean {
  if (len <= 32) return khi >>> (32 - len) === phi;
  return khi === phi && klo >>> (64 - len) === plo;
}

/** A key bin that holds wanted order statistics, narrowed pass by pass. */
interface Bin {
  readonly col: number;
  /** Key bits fixed so far. */
  len: number;
  phi: number;
  plo: number;
  /** Values in the bin. */
  count: number;
  /** Wanted ranks within the bin (0-based) and where each result goes. */
  readonly want: { rank: number; out: number }[];
  /** Collected values (collect mode) and how many so far. */
  values: Float64Array | undefined;
  fill: number;
  /** Counts of the next key bits (count mode), and the smallest and largest key seen. */
  hist: Float64Array | undefined;
  minHi: number;
  minLo: number;
  maxHi: number;
  maxLo: number;
  minValue: number;
}

/**
 * The exact order statistics of each column of `rows` at the ranks `ranksOf(n)` (0-based; n = the number
 * of rows, known after the first pass): `values[j·r + k]` is column j's value of rank `ranks[k]` — the value
 * a sort of the column would put at that index. Reads the rows in at most seven passes (more when over 1,024 wanted values crowd into bins); memory is
 * O(cols·4,096) counts plus at most `maxValues` collected values and 1,024 bins of 4,096 counts, whatever the number of rows.
 *
 * @param rows - the rows (finite; `ValueError` naming the row otherwise).
 * @param ranksOf - the wanted ranks for n rows, each in [0, n).
 * @param api - name for error messages.
 * @param maxValues - most values collected at once (a bin is collected when it holds at most its share of
 *   them; fewer means more passes).
 * @example
 * ```ts
 * const { n, values } = columnOrderStatistics(matrixRows(X, 4096), (n) => [Math.floor((n - 1) / 2)], 'median');
 * ```
 */
export function columnOrderStatistics(
  rows: RowSource,
  ranksOf: (n: number) => readonly number[],
  api: string,
  maxValues: number = COLLECT_BUDGET,
): { n: number; ranks: readonly number[]; values: Float64Array; passes: number } {
  const d = rows.cols;
  // Pass 1: counts of every column's top key bits.
  const top = new Float64Array(d * BINS);
  let n = 0;
  for (const { block } of checkedBlocks(rows, api)) {
    const u = new Uint32Array(block.data.buffer, block.data.byteOffset, block.data.length * 2);
    const m = block.rows;
    for (let i = 0; i < m; i++) {
      const r = 2 * i * d;
      for (let j = 0; j < d; j++) {
        const hi = u[r + 2 * j + HI] as number;
        const k = j * BINS + (keyHi(hi) >>> (32 - BITS));
        top[k] = (top[k] as number) + 1;
      }
    }
    n += m;
  }
  if (n === 0) throw new ValueError(message(api, 'no rows', 'at least one row', '0'));
  const ranks = ranksOf(n);
  for (const k of ranks) {
    if (!Number.isInteger(k) || k < 0 || k >= n) {
      throw new ValueError(
        message(api, 'a wanted rank is out of range', `an integer in [0, ${n})`, String(k)),
      );
    }
  }
  const values = new Float64Array(d * ranks.length);
  let open: Bin[] = [];
  for (let j = 0; j < d; j++) {
    const byBin = new Map<number, Bin>();
    ranks.forEach((rank, k) => {
      let below = 0;
      let b = 0;
      while (below + (top[j * BINS + b] as number) <= rank) below += top[j * BINS + b++] as number;
      let bin = byBin.get(b);
      if (bin === undefined) {
        bin = newBin(j, BITS, b, 0, top[j * BINS + b] as number);
        byBin.set(b, bin);
        open.push(bin);
      }
      bin.want.push({ rank: rank - below, out: j * ranks.length + k });
    });
  }
  let passes = 1;
  while (open.length > 0) {
    passes++;
    const perCol: Bin[][] = Array.from({ length: d }, () => []);
    const share = Math.max(1, Math.floor(maxValues / open.length));
    const next: Bin[] = [];
    let counted = 0;
    for (const bin of open) {
      if (bin.count <= share) bin.values = new Float64Array(bin.count);
      else if (counted < MAX_COUNTED) {
        bin.hist = new Float64Array(BINS);
        counted++;
      } else {
        next.push(bin);
        continue;
      }
      (perCol[bin.col] as Bin[]).push(bin);
    }
    const cols = perCol.map((bins, j) => (bins.length > 0 ? j : -1)).filter((j) => j >= 0);
    let seen = 0;
    for (const { block } of checkedBlocks(rows, api)) {
      seen += block.rows;
      const data = block.data;
      const u = new Uint32Array(data.buffer, data.byteOffset, data.length * 2);
      const m = block.rows;
      for (let i = 0; i < m; i++) {
        for (const j of cols) {
          const p = i * d + j;
          const hi = u[2 * p + HI] as number;
          const khi = keyHi(hi);
          const klo = keyLo(hi, u[2 * p + LO] as number);
          for (const bin of perCol[j] as Bin[]) {
            if (!hasPrefix(khi, klo, bin.len, bin.phi, bin.plo)) continue;
            if (bin.values !== undefined) {
              bin.values[bin.fill++] = data[p] as number;
              continue;
            }
            const h = bin.hist as Float64Array;
            const s = bitsAt(khi, klo, bin.len, Math.min(BITS, 64 - bin.len));
            h[s] = (h[s] as number) + 1;
            if (khi < bin.minHi || (khi === bin.minHi && klo < bin.minLo)) {
              bin.minHi = khi;
              bin.minLo = klo;
              bin.minValue = data[p] as number;
            }
            if (khi > bin.maxHi || (khi === bin.maxHi && klo > bin.maxLo)) {
              bin.maxHi = khi;
              bin.maxLo = klo;
            }
          }
        }
      }
    }
    if (seen !== n) throw changed(api, `${n} rows`, `${seen}`);
    for (const bins of perCol)
      for (const bin of bins) {
        if (bin.values !== undefined) {
          if (bin.fill !== bin.count) throw changed(api, `${bin.count} values in a bin`, `${bin.fill}`);
          bin.values.sort();
          for (const w of bin.want) values[w.out] = bin.values[w.rank] as number;
          continue;
        }
        if (bin.minHi === bin.maxHi && bin.minLo === bin.maxLo) {
          // One key: every wanted rank is that value.
          for (const w of bin.want) values[w.out] = bin.minValue;
          continue;
        }
        const h = bin.hist as Float64Array;
        let total = 0;
        for (let b = 0; b < BINS; b++) total += h[b] as number;
        if (total !== bin.count) throw changed(api, `${bin.count} values in a bin`, `${total}`);
        const step = Math.min(BITS, 64 - bin.len);
        const byBin = new Map<number, Bin>();
        for (const w of bin.want) {
          let below = 0;
          let b = 0;
          while (below + (h[b] as number) <= w.rank) below += h[b++] as number;
          let child = byBin.get(b);
          if (child === undefined) {
            child = narrowed(bin, step, b, h[b] as number);
            byBin.set(b, child);
            next.push(child);
          }
          child.want.push({ rank: w.rank - below, out: w.out });
        }
      }
    open = next;
  }
  return { n, ranks, values, passes };
}

function changed(api: string, expected: string, got: string): ValueError {
  return new ValueError(message(api, 'the rows changed between passes', expected, got));
}

function newBin(col: number, len: number, phi: number, plo: number, count: number): Bin {
  return {
    col,
    len,
    phi,
    plo,
    count,
    want: [],
    values: undefined,
    fill: 0,
    hist: undefined,
    minHi: 0xffffffff,
    minLo: 0xffffffff,
    maxHi: 0,
    maxLo: 0,
    minValue: Number.NaN,
  };
}

/** The sub-bin `b` of the next `step` key bits of `bin`. */
function narrowed(bin: Bin, step: number, b: number, count: number): Bin {
  const len = bin.len + step;
  let phi = bin.phi;
  let plo = bin.plo;
  if (len <= 32) phi = ((phi << step) | b) >>> 0;
  else if (bin.len >= 32) plo = ((plo << step) | b) >>> 0;
  else {
    const toHi = 32 - bin.len;
    const toLo = step - toHi;
    phi = ((phi << toHi) | (b >>> toLo)) >>> 0;
    plo = b & ((1 << toLo) - 1);
  }
  return newBin(bin.col, len, phi, plo, count);
}
