/**
 * Argument checks for model constructors (ours and a user's): each returns the checked value or throws
 * an error shaped `api: what (expected …, got …)`.
 *
 * @module
 */
import { describeValue, InputTypeError, message, ParameterError } from './errors.js';
import type { Constraint } from './params/constraints.js';

/**
 * Checks one hyperparameter against a constraint (see `constraints`): returns the value as a model keeps it,
 * or throws a `ParameterError` shaped `api: name … (expected …, got …)`. Models with several parameters
 * declare them in a `ParamDeclaration`, which calls this for each.
 *
 * @example
 * ```ts
 * const bins = checkParam('MyEnergy', 'bins', options.bins ?? 10, constraints.integer(2, 100));
 * ```
 */
export function checkParam<T>(api: string, name: string, v: unknown, check: Constraint<T>): T {
  const r = check.reject(name, v);
  if (r !== undefined) {
    throw new ParameterError(message(api, `${r.name} ${r.problem}`, r.expected, describeValue(r.got)));
  }
  return check.keep(v);
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
