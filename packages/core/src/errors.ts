/**
 * Error classes shared by every package. Messages follow one shape:
 * `api: what is wrong (expected …, got …)`.
 *
 * @example
 * ```ts
 * try { model.energy(X); } catch (e) { if (e instanceof NotFittedError) console.log(e.message); }
 * ```
 * @module
 */

/**
 * Formats an error message as `api: what (expected …, got …)`.
 *
 * @example
 * ```ts
 * message('Matrix', 'wrong column count', '3', '4'); // 'Matrix: wrong column count (expected 3, got 4)'
 * ```
 */
export function message(api: string, what: string, expected?: string, got?: string): string {
  if (expected === undefined && got === undefined) return `${api}: ${what}`;
  const parts: string[] = [];
  if (expected !== undefined) parts.push(`expected ${expected}`);
  if (got !== undefined) parts.push(`got ${got}`);
  return `${api}: ${what} (${parts.join(', ')})`;
}

/**
 * Describes a value briefly for an error message (its kind and, for arrays, its length).
 *
 * @example
 * ```ts
 * describeValue([1, 2]); // 'array of length 2'
 * ```
 */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `array of length ${value.length}`;
  if (ArrayBuffer.isView(value))
    return `${value.constructor.name} of length ${(value as unknown as ArrayLike<number>).length}`;
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string')
    return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'object')
    return `object${value.constructor && value.constructor !== Object ? ` ${value.constructor.name}` : ''}`;
  return typeof value;
}

/**
 * Base class of the library's own errors that are not `RangeError` or `TypeError`.
 *
 * @example
 * ```ts
 * throw new EbmError('fit: aborted');
 * ```
 */
export class EbmError extends Error {
  /** @param msg - the full message, `api: what is wrong (expected …, got …)`. */
  constructor(msg: string) {
    super(msg);
    this.name = 'EbmError';
  }
}

/**
 * A model was used before `fit` (or `load`).
 *
 * @example
 * ```ts
 * throw new NotFittedError('GaussianDensity.energy');
 * ```
 */
export class NotFittedError extends EbmError {
  /** @param api - the method that was called, e.g. `Autoencoder.energy`. */
  constructor(api: string) {
    super(`${api}: model is not fitted yet (expected a call to fit() or loadModel() first)`);
    this.name = 'NotFittedError';
  }
}

/**
 * Input has the wrong shape: ragged rows, wrong feature count, empty data, mismatched lengths.
 *
 * @example
 * ```ts
 * throw new ShapeError(message('energy', 'wrong number of features', '4', '3'));
 * ```
 */
export class ShapeError extends RangeError {
  /** @param msg - the full message. */
  constructor(msg: string) {
    super(msg);
    this.name = 'ShapeError';
  }
}

/**
 * Input holds a value that is not allowed: NaN, Infinity, or a value outside the accepted range.
 *
 * @example
 * ```ts
 * throw new ValueError(message('toMatrix', 'non-finite value at row 2, column 0', 'a finite number', 'NaN'));
 * ```
 */
export class ValueError extends RangeError {
  /** @param msg - the full message. */
  constructor(msg: string) {
    super(msg);
    this.name = 'ValueError';
  }
}

/**
 * Input is of the wrong kind (a string where a matrix was expected, …).
 *
 * @example
 * ```ts
 * throw new InputTypeError(message('toMatrix', 'unsupported input', 'number[][], Matrix, ndarray or ml-matrix', 'string'));
 * ```
 */
export class InputTypeError extends TypeError {
  /** @param msg - the full message. */
  constructor(msg: string) {
    super(msg);
    this.name = 'InputTypeError';
  }
}

/**
 * A hyperparameter or option is invalid. Thrown by constructors and option checks.
 *
 * @example
 * ```ts
 * throw new ParameterError(message('Autoencoder', 'learningRate must be positive', '> 0', '-1'));
 * ```
 */
export class ParameterError extends RangeError {
  /** @param msg - the full message. */
  constructor(msg: string) {
    super(msg);
    this.name = 'ParameterError';
  }
}

/**
 * A log line could not be parsed. Carries the 1-based line number and the reason.
 *
 * @example
 * ```ts
 * throw new ParseError('parseLanl', 12, 'expected 9 comma-separated fields, got 7');
 * ```
 */
export class ParseError extends EbmError {
  /** 1-based line number in the input. */
  readonly line: number;
  /** Why the line was rejected. */
  readonly reason: string;
  /**
   * @param api - the parser's name.
   * @param line - the 1-based line number.
   * @param reason - why the line was rejected.
   */
  constructor(api: string, line: number, reason: string) {
    super(`${api}: line ${line}: ${reason}`);
    this.name = 'ParseError';
    this.line = line;
    this.reason = reason;
  }
}

/**
 * A saved model is corrupt, from another version, of an unknown kind, or hostile.
 *
 * @example
 * ```ts
 * throw new ModelFormatError(message('loadModel', 'unknown kind', 'a registered kind', '"foo"'));
 * ```
 */
export class ModelFormatError extends EbmError {
  /** @param msg - the full message. */
  constructor(msg: string) {
    super(msg);
    this.name = 'ModelFormatError';
  }
}

/**
 * Fitting was cancelled through an `AbortSignal`.
 *
 * @example
 * ```ts
 * const ac = new AbortController(); ac.abort();
 * // model.fit(X, { signal: ac.signal }) throws AbortError
 * ```
 */
export class AbortError extends EbmError {
  /** @param api - the method that was aborted. */
  constructor(api: string) {
    super(`${api}: aborted by the caller's AbortSignal`);
    this.name = 'AbortError';
  }
}

/**
 * A capability the model does not have was asked for (e.g. `contributions` on a model without an exact
 * per-feature split).
 *
 * @example
 * ```ts
 * try { model.contributions(X); } catch (e) { if (e instanceof UnsupportedError) useKernelShap(); }
 * ```
 */
export class UnsupportedError extends TypeError {
  /** @param msg - the full message. */
  constructor(msg: string) {
    super(msg);
    this.name = 'UnsupportedError';
  }
}
