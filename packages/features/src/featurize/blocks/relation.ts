/**
 * Helpers of the blocks keyed on one field or a pair of fields (first-seen, rarity): labels, 64-bit keys
 * and saved-state checks.
 *
 * @module
 */
import { hash64, pairKey } from '../hash.js';
import type { BlockContext, FieldHasher } from './Block.js';

export function relationLabel(ctx: BlockContext, a: string, b: string | undefined): string {
  return b === undefined ? ctx.label(a) : `${ctx.label(a)}→${ctx.label(b)}`;
}

export function relationFields(ctx: BlockContext, a: string, b: string | undefined): string[] {
  return b === undefined ? [ctx.label(a)] : [ctx.label(a), ctx.label(b)];
}

export function checkNumbers(v: unknown, what: string, n: number): number[] {
  if (!Array.isArray(v) || v.length !== n || !v.every((x) => typeof x === 'number' && Number.isFinite(x)))
    throw new TypeError(`${what} must be an array of ${n} finite numbers`);
  return v as number[];
}

/** The 64-bit key of one field or of the pair a → b for the current event, in `out`. */
export function eventKey(e: object, ha: FieldHasher, hb: FieldHasher | undefined, out: Int32Array): void {
  ha.of(e);
  if (hb === undefined) {
    out[0] = ha.k1;
    out[1] = ha.k2;
    return;
  }
  hb.of(e);
  pairKey(ha.k1, ha.k2, hb.k1, hb.k2, out);
}

/** The 64-bit key of literal values (for fitting and loading). */
export function valueKey(va: string, vb: string | undefined, out: Int32Array): void {
  hash64(va, out);
  if (vb === undefined) return;
  const a1 = out[0] as number;
  const a2 = out[1] as number;
  hash64(vb, out);
  pairKey(a1, a2, out[0] as number, out[1] as number, out);
}

export function checkInts(v: unknown, what: string, n: number): number[] {
  if (!Array.isArray(v) || v.length !== n || !v.every((x) => typeof x === 'number' && (x | 0) === x))
    throw new TypeError(`${what} must be an array of ${n} 32-bit integers`);
  return v as number[];
}
