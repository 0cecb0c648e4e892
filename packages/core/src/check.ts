/**
 * Hyperparameter checks for model constructors (ours and a user's): each returns the checked value or
 * throws a `ParameterError` shaped `api: name is … (expected …, got …)`.
 *
 * @module
 */
import { describeValue, InputTypeError, message, ParameterError } from './errors.js';

/**
 * A finite number accepted by `ok`.
 *
 * @example
 * ```ts
 * const lr = checkNumberParam('Autoencoder', 'learningRate', options.learningRate ?? 1e-3, (x) => x > 0, '> 0');
 * ```
 */
export function checkNumberParam(
  api: string,
  name: string,
  v: unknown,
  ok: (x: number) => boolean,
  expected: string,
): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) {
    throw new ParameterError(message(api, `${name} is out of range`, expected, describeValue(v)));
  }
  return v;
}

/**
 * An integer in [min, max].
 *
 * @example
 * ```ts
 * const epochs = checkIntParam('RBM', 'epochs', options.epochs ?? 20, 1, 100_000);
 * ```
 */
export function checkIntParam(api: string, name: string, v: unknown, min: number, max: number): number {
  return checkNumberParam(
    api,
    name,
    v,
    (x) => Number.isInteger(x) && x >= min && x <= max,
    `an integer in [${min}, ${max}]`,
  );
}

/**
 * One of a fixed set of strings.
 *
 * @example
 * ```ts
 * const opt = checkChoiceParam('Autoencoder', 'optimizer', options.optimizer ?? 'adam', ['adam', 'sgd'] as const);
 * ```
 */
export function checkChoiceParam<T extends string>(
  api: string,
  name: string,
  v: unknown,
  values: readonly T[],
): T {
  if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) {
    throw new ParameterError(
      message(api, `${name} is not supported`, values.map((s) => `'${s}'`).join(' | '), describeValue(v)),
    );
  }
  return v as T;
}

/**
 * The options argument of a constructor or method: an object (a `TypeError` subclass, `InputTypeError`,
 * otherwise — `null` and primitives included), returned unchanged so a constructor can check before
 * reading it: `super(checkOptionsObject(api, options).seed)`.
 *
 * @example
 * ```ts
 * constructor(options: MyOptions = {}) { super(checkOptionsObject('MyEnergy', options).seed); }
 * ```
 */
export function checkOptionsObject<T>(api: string, options: T): T {
  if (options === null || typeof options !== 'object') {
    throw new InputTypeError(message(api, 'options must be an object', 'an object', describeValue(options)));
  }
  return options;
}
