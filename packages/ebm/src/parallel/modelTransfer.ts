/**
 * How {@link ScoringPool} hands a model to its workers without JSON text: the model's `toJSON()` tree is
 * posted by structured clone, its long arrays of numbers moved into one `SharedArrayBuffer` that every
 * worker reads in place (one copy for all workers, no text, no length limit of `parseModelJSON`). The
 * worker puts plain arrays back before `loadModel`, so a loader sees exactly the tree `JSON.parse` would
 * have given it (besides `-0`, which JSON writes as `0` and the transfer keeps) and validates it as it
 * validates a loaded model: shapes, sizes, non-finite numbers, forbidden keys, nesting.
 *
 * @module
 */
import { MAX_DEPTH } from '@nexus/ebm-core/extend';

/** Arrays of numbers shorter than this stay in the cloned tree (a view would cost more than it saves). */
const PACK_MIN_LENGTH = 64;
/** Keys never packed: left as they are, so the worker's check rejects them as it rejects saved JSON. */
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** A model's `toJSON()` tree ready for `postMessage`: see {@link packModel}. */
export interface PackedModel {
  /**
   * The tree, with each packed array replaced by a `Float64Array` view of `numbers` (a marker no JSON
   * text can produce: JSON has no typed arrays).
   */
  readonly tree: unknown;
  /** The packed numbers, or `null` when the tree holds no long array of numbers. */
  readonly numbers: SharedArrayBuffer | null;
}

function isNumberArray(v: readonly unknown[]): boolean {
  if (v.length < PACK_MIN_LENGTH) return false;
  for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'number') return false;
  return true;
}

function isPlainObject(v: object): v is Record<string, unknown> {
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Calls `visit` on every array of numbers that {@link packModel} packs, parents before children. */
function walk(v: unknown, depth: number, visit: (a: readonly number[]) => Float64Array | null): unknown {
  if (v === null || typeof v !== 'object' || depth >= MAX_DEPTH) return v;
  if (Array.isArray(v)) {
    if (isNumberArray(v)) return visit(v as number[]) ?? v;
    return v.map((x: unknown) => walk(x, depth + 1, visit));
  }
  if (!isPlainObject(v)) return v; // left for the worker's check to reject, as it rejects saved JSON
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(v)) {
    const x = v[key];
    // defineProperty: an own "__proto__" key stays an own key (and is rejected by the worker's check)
    Object.defineProperty(out, key, {
      value: FORBIDDEN.has(key) ? x : walk(x, depth + 1, visit),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/**
 * Prepares a model's `toJSON()` tree for the workers: every array of at least 64 numbers (at any depth up
 * to `MAX_DEPTH`, not under a forbidden key) is copied into one shared buffer and replaced by a view of
 * it; the rest of the tree is copied as it is (and cloned by `postMessage`). Values are copied bit for
 * bit (no text in between). The input is not modified.
 *
 * @example
 * ```ts
 * worker.postMessage({ model: packModel(model.toJSON()) });
 * ```
 */
export function packModel(json: unknown): PackedModel {
  let total = 0;
  walk(json, 0, (a) => {
    total += a.length;
    return null;
  });
  if (total === 0) return { tree: json, numbers: null };
  const numbers = new SharedArrayBuffer(total * 8);
  let at = 0;
  const tree = walk(json, 0, (a) => {
    const view = new Float64Array(numbers, at * 8, a.length);
    for (let i = 0; i < a.length; i++) view[i] = a[i] as number;
    at += a.length;
    return view;
  });
  return { tree, numbers };
}

function restore(v: unknown, numbers: SharedArrayBuffer, depth: number): unknown {
  if (v === null || typeof v !== 'object' || depth > MAX_DEPTH) return v;
  if (v instanceof Float64Array && v.buffer === numbers) {
    const a: number[] = new Array<number>(v.length);
    for (let i = 0; i < v.length; i++) a[i] = v[i] as number;
    return a;
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = restore(v[i], numbers, depth + 1);
    return v;
  }
  if (!isPlainObject(v)) return v;
  for (const key of Object.keys(v)) {
    if (FORBIDDEN.has(key)) continue; // never packed (see walk); assigning could change a prototype
    v[key] = restore(v[key], numbers, depth + 1);
  }
  return v;
}

/**
 * The model tree a worker received, with plain arrays of numbers back in place of the packed views (the
 * received tree is modified and returned) — ready for `loadModel`, which validates it.
 *
 * @example
 * ```ts
 * const model = loadModel(unpackModel(message.model));
 * ```
 */
export function unpackModel(packed: PackedModel): unknown {
  const { tree, numbers } = packed;
  return numbers === null ? tree : restore(tree, numbers, 0);
}
