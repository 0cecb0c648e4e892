import { checkParam } from '../check.js';
import { describeValue, ModelFormatError, message } from '../errors.js';
import { readOptionalNumber } from '../model/jsonReaders.js';
import type { Constraint } from './constraints.js';

/**
 * The checked hyperparameters of a model built from options `O`: every option set (to its default when
 * not given), except `seed` (kept by the base class) and the `Derived` ones, which stay `undefined` until
 * the model derives them at fit (e.g. layer widths from the feature count).
 *
 * @example
 * ```ts
 * type AutoencoderParams = ParamValues<AutoencoderOptions, 'hiddenSizes'>;
 * ```
 */
export type ParamValues<O, Derived extends keyof O = never> = {
  readonly [K in Exclude<keyof O, 'seed' | Derived>]-?: Exclude<O[K], undefined>;
} & { readonly [K in Derived]: Exclude<O[K], undefined> | undefined };

interface ParamBase<T, V> {
  /** What the parameter accepts. */
  readonly check: Constraint<T>;
  /** What it does, for readers of the option tables and the options interface (one paragraph). */
  readonly doc: string;
  /**
   * Whether `toJSON` writes it (default: always). A parameter written only sometimes is optional when a
   * saved model is read back (absent = the default).
   */
  readonly saved?: (p: V) => boolean;
}

/**
 * One hyperparameter: its constraint, its default and its documentation. The default is a value, a
 * function of the parameters declared before it (`defaultDoc` then says it in words), or — with
 * `derived` — none: the model derives the value at fit when it is not given (`derived` says how).
 *
 * @example
 * ```ts
 * const epochs: ParamSpec<number, AutoencoderParams> = {
 *   check: constraints.integer(1, 1_000_000),
 *   default: 50,
 *   doc: 'Maximum number of passes over the training rows.',
 * };
 * ```
 */
export type ParamSpec<T, V> = ParamBase<T, V> &
  (
    | { readonly default: T }
    | { readonly default: (p: V) => T; readonly defaultDoc: string }
    | { readonly derived: string }
  );

/**
 * A spec for every parameter of `V`, in the order they are resolved, saved and documented.
 *
 * @example
 * ```ts
 * const specs: ParamSpecs<ParamValues<{ bins?: number }>> = {
 *   bins: { check: constraints.integer(2, 100), default: 10, doc: 'Bins per feature.' },
 * };
 * ```
 */
export type ParamSpecs<V> = { readonly [K in keyof V]-?: ParamSpec<Exclude<V[K], undefined>, V> };

/**
 * One row of an option table (see {@link ParamDeclaration.rows}).
 */
export interface ParamRow {
  /** The option's name. */
  readonly name: string;
  /** What it accepts (the constraint's `expected`). */
  readonly accepted: string;
  /** Its default, as code (`50`, `'tanh'`) or in words. */
  readonly default: string;
  /** What it does. */
  readonly doc: string;
}

type AnySpec = ParamBase<unknown, unknown> & {
  readonly default?: unknown;
  readonly defaultDoc?: string;
  readonly derived?: string;
};

function renderDefault(v: unknown): string {
  if (typeof v === 'string') return `\`'${v}'\``;
  return `\`${Array.isArray(v) ? JSON.stringify(v) : String(v)}\``;
}

/**
 * A model's hyperparameters, declared once — name, constraint, default and documentation for each — from
 * which the constructor's checks ({@link ParamDeclaration.resolve}), the `config` of the saved model
 * ({@link ParamDeclaration.toJSON}, {@link ParamDeclaration.fromJSON}) and the option tables of the docs
 * ({@link ParamDeclaration.rows}) all derive. In the spirit of scikit-learn's `_parameter_constraints`.
 *
 * @typeParam O - the options interface the constructor takes.
 * @typeParam V - the checked values (usually `ParamValues<O, …>`).
 * @example
 * ```ts
 * const { integer, real } = constraints;
 * const PARAMS = new ParamDeclaration<MyOptions, ParamValues<MyOptions>>('MyEnergy', {
 *   bins: { check: integer(2, 10_000), default: 10, doc: 'Bins per feature.' },
 *   smoothing: { check: real({ gt: 0 }), default: 1, doc: 'Pseudo-count added to every bin.' },
 * });
 * // constructor:  Object.assign(this, PARAMS.resolve(options));
 * // configToJSON: return PARAMS.toJSON(this);
 * // fromJSON:     new MyEnergy(PARAMS.fromJSON(json.config, api));
 * ```
 */
export class ParamDeclaration<O extends object, V extends object> {
  /** The model's name in error messages, e.g. `Autoencoder`. */
  readonly api: string;
  /** The specs, in declaration order. */
  readonly specs: ParamSpecs<V>;

  /**
   * @param api - the model's name in error messages.
   * @param specs - one spec per parameter; a default computed from other parameters may only read
   *   parameters declared before it.
   */
  constructor(api: string, specs: ParamSpecs<V>) {
    this.api = api;
    this.specs = specs;
  }

  private entries(): [string, AnySpec][] {
    return Object.entries(this.specs) as [string, AnySpec][];
  }

  /** The parameter names, in declaration order. */
  get names(): string[] {
    return Object.keys(this.specs);
  }

  /**
   * Checks the options and fills in the defaults, in declaration order; throws `ParameterError` naming the
   * first bad option. The caller checks that `options` is an object (`checkOptionsObject`) first.
   *
   * @example
   * ```ts
   * Object.assign(this, PARAMS.resolve(options)); // in the constructor
   * ```
   */
  resolve(options: O): V {
    const given = options as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [name, spec] of this.entries()) {
      let v = given[name];
      if (v === undefined) {
        if (spec.derived !== undefined) {
          out[name] = undefined;
          continue;
        }
        v = typeof spec.default === 'function' ? spec.default(out) : spec.default;
      }
      out[name] = checkParam(this.api, name, v, spec.check);
    }
    return out as V;
  }

  /**
   * A plain copy of the declared parameters of `from` (a model, say) — for a worker thread, which cannot
   * receive the model itself.
   *
   * @example
   * ```ts
   * const params = Autoencoder.params.values(model); // { activation: 'tanh', …, hiddenSizes: undefined }
   * ```
   */
  values(from: V): V {
    const all = from as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const name of this.names) out[name] = all[name];
    return out as V;
  }

  /**
   * The `config` of a saved model: the parameters in declaration order, without underived ones and those
   * whose `saved` says no (the base class adds `seed`).
   *
   * @example
   * ```ts
   * protected configToJSON() { return PARAMS.toJSON(this); }
   * ```
   */
  toJSON(values: V): Record<string, unknown> {
    const all = values as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [name, spec] of this.entries()) {
      const v = all[name];
      if (v === undefined || (spec.saved !== undefined && !spec.saved(values))) continue;
      out[name] = Array.isArray(v) ? v.slice() : v;
    }
    return out;
  }

  /**
   * Options from a saved `config` (and its `seed`): every parameter `toJSON` always writes must be there;
   * the others may be absent. A missing or refused value is a `ModelFormatError` naming the field.
   *
   * @example
   * ```ts
   * const model = new MyEnergy(PARAMS.fromJSON(json.config, 'MyEnergy.fromJSON'));
   * ```
   */
  fromJSON(config: Record<string, unknown>, api: string): O {
    const out: Record<string, unknown> = {};
    for (const [name, spec] of this.entries()) {
      const v = Object.hasOwn(config, name) ? config[name] : undefined;
      if (v === undefined) {
        if (spec.derived !== undefined || spec.saved !== undefined) continue;
        throw new ModelFormatError(
          message(api, `field ${JSON.stringify(name)} is missing`, spec.check.expected, 'nothing'),
        );
      }
      const r = spec.check.reject(name, v);
      if (r !== undefined) {
        const what = `field ${JSON.stringify(r.name)} ${r.problem}`;
        throw new ModelFormatError(message(api, what, r.expected, describeValue(r.got)));
      }
      out[name] = spec.check.keep(v);
    }
    const seed = readOptionalNumber(config, 'seed', api);
    if (seed !== undefined) out.seed = seed;
    return out as O;
  }

  /**
   * One row per parameter for the option tables of the docs (`pnpm docs:options` writes them).
   *
   * @example
   * ```ts
   * Autoencoder.params.rows()[0]; // { name: 'activation', accepted: "'relu' | …", default: "`'tanh'`", doc: '…' }
   * ```
   */
  rows(): ParamRow[] {
    return this.entries().map(([name, spec]) => ({
      name,
      accepted: spec.check.expected,
      default:
        spec.derived !== undefined
          ? spec.derived
          : typeof spec.default === 'function'
            ? (spec.defaultDoc ?? '')
            : renderDefault(spec.default),
      doc: spec.doc,
    }));
  }
}
