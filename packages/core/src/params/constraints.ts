/**
 * What a hyperparameter accepts, as data (after scikit-learn's `_parameter_constraints`): one
 * {@link Constraint} gives the constructor's check, the saved-model reader's check and the "accepted"
 * column of the option tables in the docs.
 *
 * @module
 */

/** Why a value was refused: what is wrong with which value, what was expected and what was found. */
export interface Rejection {
  /** The refused value's name: the parameter's, or an element's (`hiddenSizes[1]`). */
  readonly name: string;
  /** What is wrong with it, e.g. `must be an integer`. */
  readonly problem: string;
  /** e.g. `an integer in [1, 1000000]`. */
  readonly expected: string;
  /** The refused value (the whole value, or the offending element). */
  readonly got: unknown;
}

/**
 * A set of accepted values.
 *
 * @typeParam T - the type of an accepted value.
 * @example
 * ```ts
 * const epochs = integer(1, 1_000_000);
 * epochs.reject('epochs', 1.5);
 * // { name: 'epochs', problem: 'must be an integer', expected: 'an integer in [1, 1000000]', got: 1.5 }
 * ```
 */
export interface Constraint<T> {
  /** What an accepted value looks like, for messages and docs. */
  readonly expected: string;
  /** `undefined` when `v` is accepted; otherwise why not, for a value called `name`. */
  reject(name: string, v: unknown): Rejection | undefined;
  /** An accepted value as a model keeps it (arrays are copied and frozen). */
  keep(v: unknown): T;
}

function same<T>(v: unknown): T {
  return v as T;
}

/** Bounds of {@link real}: `gt`/`ge` below, `lt`/`le` above (open and closed ends). */
export interface RealBounds {
  /** Exclusive lower bound. */
  readonly gt?: number;
  /** Inclusive lower bound. */
  readonly ge?: number;
  /** Exclusive upper bound. */
  readonly lt?: number;
  /** Inclusive upper bound. */
  readonly le?: number;
}

function realExpected(b: RealBounds): string {
  const lo = b.gt ?? b.ge;
  const hi = b.lt ?? b.le;
  if (lo !== undefined && hi !== undefined) {
    return `in ${b.gt === undefined ? '[' : '('}${lo}, ${hi}${b.lt === undefined ? ']' : ')'}`;
  }
  if (lo !== undefined) return b.gt === undefined ? `≥ ${lo}` : `> ${lo}`;
  if (hi !== undefined) return b.lt === undefined ? `≤ ${hi}` : `< ${hi}`;
  return 'a finite number';
}

/**
 * A finite number within the given bounds.
 *
 * @example
 * ```ts
 * real({ gt: 0, le: 10 }).expected; // 'in (0, 10]'
 * real({ ge: 0 }).expected; // '≥ 0'
 * ```
 */
export function real(bounds: RealBounds = {}): Constraint<number> {
  const expected = realExpected(bounds);
  const { gt, ge, lt, le } = bounds;
  return {
    expected,
    reject(name, v) {
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        return { name, problem: 'must be a finite number', expected, got: v };
      }
      const inside =
        (gt === undefined || v > gt) &&
        (ge === undefined || v >= ge) &&
        (lt === undefined || v < lt) &&
        (le === undefined || v <= le);
      return inside ? undefined : { name, problem: 'is out of range', expected, got: v };
    },
    keep: same,
  };
}

/**
 * An integer in [min, max].
 *
 * @example
 * ```ts
 * integer(1, 1000).expected; // 'an integer in [1, 1000]'
 * ```
 */
export function integer(min: number, max: number): Constraint<number> {
  const expected = `an integer in [${min}, ${max}]`;
  return {
    expected,
    reject(name, v) {
      if (typeof v !== 'number' || !Number.isInteger(v)) {
        return { name, problem: 'must be an integer', expected, got: v };
      }
      return v >= min && v <= max ? undefined : { name, problem: 'is out of range', expected, got: v };
    },
    keep: same,
  };
}

/**
 * One of a fixed set of strings.
 *
 * @example
 * ```ts
 * oneOf(['adam', 'sgd'] as const).expected; // "'adam' | 'sgd'"
 * ```
 */
export function oneOf<T extends string>(values: readonly T[]): Constraint<T> {
  const expected = values.map((s) => `'${s}'`).join(' | ');
  return {
    expected,
    reject(name, v) {
      return typeof v === 'string' && (values as readonly string[]).includes(v)
        ? undefined
        : { name, problem: `names an unknown ${name}`, expected, got: v };
    },
    keep: same,
  };
}

/**
 * `true` or `false`.
 *
 * @example
 * ```ts
 * boolean().expected; // 'true or false'
 * ```
 */
export function boolean(): Constraint<boolean> {
  const expected = 'true or false';
  return {
    expected,
    reject(name, v) {
      return typeof v === 'boolean' ? undefined : { name, problem: 'must be a boolean', expected, got: v };
    },
    keep: same,
  };
}

/**
 * An array of `minLength … maxLength` integers, each in [min, max]; a rejected element is named
 * (`hiddenSizes[1] is out of range`). Kept as a frozen copy.
 *
 * @example
 * ```ts
 * integers({ min: 1, max: 65_536, minLength: 1, maxLength: 16 }).expected;
 * // 'an array of 1 to 16 integers in [1, 65536]'
 * ```
 */
export function integers(bounds: {
  readonly min: number;
  readonly max: number;
  readonly minLength: number;
  readonly maxLength: number;
}): Constraint<readonly number[]> {
  const { min, max, minLength, maxLength } = bounds;
  const expected = `an array of ${minLength} to ${maxLength} integers in [${min}, ${max}]`;
  const element = integer(min, max);
  return {
    expected,
    reject(name, v) {
      if (!Array.isArray(v) || v.length < minLength || v.length > maxLength) {
        return {
          name,
          problem: `must be an array of ${minLength} to ${maxLength} integers`,
          expected,
          got: v,
        };
      }
      for (let i = 0; i < v.length; i++) {
        const r = element.reject(`${name}[${i}]`, v[i]);
        if (r !== undefined) return r;
      }
      return undefined;
    },
    keep(v) {
      return Object.freeze((v as readonly number[]).slice());
    },
  };
}

/**
 * A value accepted by `a` or by `b`.
 *
 * @example
 * ```ts
 * anyOf(integer(2, 10_000), oneOf(['auto'] as const)).expected; // "an integer in [2, 10000] or 'auto'"
 * ```
 */
export function anyOf<A, B>(a: Constraint<A>, b: Constraint<B>): Constraint<A | B> {
  const expected = `${a.expected} or ${b.expected}`;
  return {
    expected,
    reject(name, v) {
      if (a.reject(name, v) === undefined || b.reject(name, v) === undefined) return undefined;
      return { name, problem: 'is out of range', expected, got: v };
    },
    keep(v) {
      return a.reject('', v) === undefined ? a.keep(v) : b.keep(v);
    },
  };
}

/**
 * The constraint builders in one namespace (so that short names such as `integer` stay off the package
 * root): `real`, `integer`, `oneOf`, `boolean`, `integers`, `anyOf`.
 *
 * @example
 * ```ts
 * const { integer, oneOf } = constraints;
 * const spec = { check: integer(1, 1_000_000), default: 50, doc: 'Passes over the data.' };
 * ```
 */
export const constraints: {
  readonly real: typeof real;
  readonly integer: typeof integer;
  readonly oneOf: typeof oneOf;
  readonly boolean: typeof boolean;
  readonly integers: typeof integers;
  readonly anyOf: typeof anyOf;
} = Object.freeze({ real, integer, oneOf, boolean, integers, anyOf });
