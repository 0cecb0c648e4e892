import { describeValue, InputTypeError, message, ParameterError, ShapeError, ValueError } from '../errors.js';
import type { FeatureColumn } from '../model/FeatureColumn.js';
import type { FeatureGroups } from './coalitions.js';

/**
 * The attribution of one raw field: the sum over the columns that came from it.
 */
export interface FieldAttribution {
  /** The raw field (or entity relation), `FeatureColumn.field`. */
  readonly field: string;
  /** Sum of the attributions of its columns. */
  readonly attribution: number;
  /** Indices of its columns, ascending. */
  readonly columns: readonly number[];
}

/**
 * One ranked reason why an event's energy is high, in the terms of the raw log.
 */
export interface Reason {
  /** The raw field. */
  readonly field: string;
  /** The field's raw value in this event, when known. */
  readonly value: string | undefined;
  /** The field's attribution (sum over its columns). */
  readonly attribution: number;
  /** Names of the columns folded into this reason. */
  readonly columns: readonly string[];
  /** The description of the column that drives the reason (placeholders filled), if any. */
  readonly description: string | undefined;
  /** Readable text, e.g. `hour = 03:00 (unusual for this user) +4.1`. */
  readonly text: string;
}

/**
 * Options of {@link reasons}.
 */
export interface ReasonOptions {
  /** Keep at most this many reasons. Default 5. */
  readonly top?: number;
  /** `'positive'` (default): only fields that raise the energy, largest first; `'all'`: by |attribution|. */
  readonly sign?: 'positive' | 'all';
  /** Drop reasons with |attribution| below this. Default 0 (only exact zeros are dropped). */
  readonly minAttribution?: number;
  /** Decimals of the attribution in the text. Default 1. */
  readonly digits?: number;
  /**
   * The event's feature row (one value per column): names the active category of one-hot and hashed
   * fields when `rawValues` lacks the field.
   */
  readonly x?: ArrayLike<number>;
  /**
   * The wording of column j for this event, e.g. `(j) => pipeline.reason(j, event)` with the featurizer's
   * own phrases (`dst_computer C1003 first seen for user U620`). When given, it words each reason from its
   * driving column and takes precedence over `template` and `description`.
   */
  readonly phrase?: (column: number) => string;
}

function checkColumns(api: string, columns: readonly FeatureColumn[]): void {
  if (!Array.isArray(columns)) {
    throw new InputTypeError(
      message(api, 'columns must be an array of FeatureColumn', 'FeatureColumn[]', describeValue(columns)),
    );
  }
  for (let j = 0; j < columns.length; j++) {
    const c = columns[j] as FeatureColumn | undefined;
    if (c === null || typeof c !== 'object' || typeof c.field !== 'string' || typeof c.name !== 'string') {
      throw new InputTypeError(
        message(
          api,
          `column ${j} is not a FeatureColumn`,
          '{ name: string, field: string, kind }',
          describeValue(c),
        ),
      );
    }
  }
}

/**
 * Folds per-column attributions into per-field ones: columns that share `field` (one-hot, hashed and
 * cyclic encodings, several statistics of one relation) add up into one entry. Fields appear in the order
 * of their first column. The sum over fields equals the sum over columns.
 *
 * @param attributions - one attribution per column.
 * @param columns - the featurizer's column map, one per column.
 * @example
 * ```ts
 * groupByField([1, 2, 0.5], [
 *   { name: 'hour_sin', field: 'hour', kind: 'cyclic' },
 *   { name: 'hour_cos', field: 'hour', kind: 'cyclic' },
 *   { name: 'bytes', field: 'bytes', kind: 'numeric' },
 * ]); // [{ field: 'hour', attribution: 3, columns: [0, 1] }, { field: 'bytes', attribution: 0.5, columns: [2] }]
 * ```
 */
export function groupByField(
  attributions: ArrayLike<number>,
  columns: readonly FeatureColumn[],
): FieldAttribution[] {
  const api = 'groupByField';
  checkColumns(api, columns);
  if (attributions === null || typeof attributions !== 'object' || typeof attributions.length !== 'number') {
    throw new InputTypeError(
      message(
        api,
        'attributions must be an array of numbers',
        'ArrayLike<number>',
        describeValue(attributions),
      ),
    );
  }
  if (attributions.length !== columns.length) {
    throw new ShapeError(
      message(api, 'one attribution per column is needed', `${columns.length}`, `${attributions.length}`),
    );
  }
  const index = new Map<string, number>();
  const sums: number[] = [];
  const cols: number[][] = [];
  const fields: string[] = [];
  for (let j = 0; j < columns.length; j++) {
    const a = attributions[j];
    if (typeof a !== 'number' || a - a !== 0) {
      throw new ValueError(
        message(api, `attribution ${j} is not a finite number`, 'a finite number', describeValue(a)),
      );
    }
    const field = (columns[j] as FeatureColumn).field;
    let g = index.get(field);
    if (g === undefined) {
      g = fields.length;
      index.set(field, g);
      fields.push(field);
      sums.push(0);
      cols.push([]);
    }
    sums[g] = (sums[g] as number) + a;
    (cols[g] as number[]).push(j);
  }
  return fields.map((field, g) => ({ field, attribution: sums[g] as number, columns: cols[g] as number[] }));
}

/**
 * The column groups of a column map, one per raw field (in order of first appearance) — pass `groups` to
 * KernelSHAP so that a field's columns (e.g. a one-hot block) are switched together, which never builds
 * impossible rows, and the attributions come out per field.
 *
 * @example
 * ```ts
 * const { fields, groups } = fieldGroups(columns);
 * const r = kernelShap(model, x, background, { groups }); // r.values[g] belongs to fields[g]
 * ```
 */
export function fieldGroups(columns: readonly FeatureColumn[]): { fields: string[]; groups: FeatureGroups } {
  checkColumns('fieldGroups', columns);
  const grouped = groupByField(new Float64Array(columns.length), columns);
  return { fields: grouped.map((g) => g.field), groups: grouped.map((g) => g.columns) };
}

const PLACEHOLDER = /\{([^{}]+)\}/g;

function fill(
  template: string,
  vars: Readonly<Record<string, string | undefined>>,
  raw: Readonly<Record<string, string>> | undefined,
): string {
  return template.replace(PLACEHOLDER, (_m, name: string) => {
    const v = vars[name] ?? raw?.[name];
    // An unknown value reads as "?"; any other unknown placeholder as its name ("for {user}" → "for user").
    return v ?? (name === 'value' ? '?' : name);
  });
}

function rawValueOf(
  field: string,
  cols: readonly number[],
  columns: readonly FeatureColumn[],
  raw: Readonly<Record<string, string>> | undefined,
  x: ArrayLike<number> | undefined,
): string | undefined {
  if (raw !== undefined) {
    const direct = raw[field];
    if (direct !== undefined) return direct;
    // A relation `user→dst_computer` is about its last entity.
    const parts = field.split(/→|->/);
    if (parts.length > 1) {
      const last = raw[(parts[parts.length - 1] as string).trim()];
      if (last !== undefined) return last;
    }
  }
  if (x !== undefined) {
    for (const j of cols) {
      const c = columns[j] as FeatureColumn;
      if (c.value !== undefined && (c.kind === 'onehot' || c.kind === 'hash') && x[j] !== 0) return c.value;
    }
  }
  return undefined;
}

function formatNumber(a: number, digits: number): string {
  const s = Math.abs(a).toFixed(digits);
  return `${a < 0 ? '-' : '+'}${s}`;
}

/**
 * A ranked list of reasons for one event: attributions folded by raw field ({@link groupByField}), sorted
 * (largest positive first by default), each with readable text such as
 * `hour = 03:00 (unusual for this user) +4.1` or, with a column `template`
 * `dst_computer {value} never seen for {user}`, `dst_computer C1003 never seen for U620 +3.2`.
 *
 * The wording comes from the column that drives the field (largest attribution of the field's sign):
 * `options.phrase(column)` when given (e.g. the featurizer's `pipeline.reason(j, event)`), else its
 * `template`, else `field = value (description)`. The value is `rawValues[field]` (for a relation
 * `a→b`, `rawValues[b]`), else the active one-hot/hashed category when `options.x` is given.
 *
 * @param attributions - per-column attributions (length = columns), or already grouped fields.
 * @param columns - the featurizer's column map.
 * @param rawValues - the event's raw fields as strings, e.g. `{ user: 'U620', hour: '03:00' }`.
 * @example
 * ```ts
 * const why = reasons(shap.values, featurizer.columns, { hour: '03:00', user: 'U620' }, { top: 3 });
 * console.log(formatReasons(why)); // "hour = 03:00 (unusual for this user) +4.1; …"
 * // With a featurizer pipeline: its column map, raw values and phrases.
 * reasons(shap.values, pipeline.columns, pipeline.describe(event), { phrase: (j) => pipeline.reason(j, event) });
 * ```
 */
export function reasons(
  attributions: ArrayLike<number> | readonly FieldAttribution[],
  columns: readonly FeatureColumn[],
  rawValues?: Readonly<Record<string, string>>,
  options: ReasonOptions = {},
): Reason[] {
  const api = 'reasons';
  checkColumns(api, columns);
  const top = options.top ?? 5;
  const digits = options.digits ?? 1;
  const minAbs = options.minAttribution ?? 0;
  const sign = options.sign ?? 'positive';
  if (!Number.isInteger(top) || top < 0) {
    throw new ParameterError(
      message(api, 'top must be a non-negative integer', 'an integer ≥ 0', describeValue(top)),
    );
  }
  if (!Number.isInteger(digits) || digits < 0 || digits > 10) {
    throw new ParameterError(
      message(api, 'digits must be an integer in [0, 10]', '0 … 10', describeValue(digits)),
    );
  }
  if (typeof minAbs !== 'number' || !(minAbs >= 0)) {
    throw new ParameterError(
      message(api, 'minAttribution must be a number ≥ 0', '≥ 0', describeValue(minAbs)),
    );
  }
  if (sign !== 'positive' && sign !== 'all') {
    throw new ParameterError(message(api, 'unknown sign option', "'positive' or 'all'", describeValue(sign)));
  }
  if (rawValues !== undefined && (rawValues === null || typeof rawValues !== 'object')) {
    throw new InputTypeError(
      message(
        api,
        'rawValues must be an object of strings',
        'Record<string, string>',
        describeValue(rawValues),
      ),
    );
  }
  const x = options.x;
  const phrase = options.phrase;
  if (phrase !== undefined && typeof phrase !== 'function') {
    throw new InputTypeError(
      message(api, 'phrase must be a function', '(column: number) => string', describeValue(phrase)),
    );
  }
  if (x !== undefined && x.length !== columns.length) {
    throw new ShapeError(
      message(api, 'options.x must have one value per column', `${columns.length}`, `${x.length}`),
    );
  }
  const isGrouped = attributions.length > 0 && typeof (attributions as ArrayLike<unknown>)[0] === 'object';
  const perColumn = isGrouped ? undefined : (attributions as ArrayLike<number>);
  const fields = isGrouped
    ? (attributions as readonly FieldAttribution[])
    : groupByField(perColumn as ArrayLike<number>, columns);
  const kept = fields.filter((f) => {
    if (typeof f.attribution !== 'number' || f.attribution - f.attribution !== 0) {
      throw new ValueError(
        message(
          api,
          `attribution of field ${f.field} is not finite`,
          'a finite number',
          describeValue(f.attribution),
        ),
      );
    }
    const a = f.attribution;
    if (a === 0 || Math.abs(a) < minAbs) return false;
    return sign === 'all' || a > 0;
  });
  kept.sort((a, b) =>
    sign === 'all' ? Math.abs(b.attribution) - Math.abs(a.attribution) : b.attribution - a.attribution,
  );
  return kept.slice(0, top).map((f) => {
    for (const j of f.columns) {
      if (!Number.isInteger(j) || j < 0 || j >= columns.length) {
        throw new ShapeError(
          message(
            api,
            `field ${f.field} names a column that does not exist`,
            `an index in [0, ${columns.length})`,
            describeValue(j),
          ),
        );
      }
    }
    // The driving column: largest attribution of the field's sign; for grouped input, the active
    // one-hot/hashed column when the feature row is known, else the field's first column.
    let lead = f.columns[0] as number;
    if (perColumn === undefined && x !== undefined) {
      const active = f.columns.find((j) => {
        const c = columns[j] as FeatureColumn;
        return (c.kind === 'onehot' || c.kind === 'hash') && x[j] !== 0;
      });
      if (active !== undefined) lead = active;
    }
    if (perColumn !== undefined) {
      const s = f.attribution >= 0 ? 1 : -1;
      for (const j of f.columns) if (s * (perColumn[j] as number) > s * (perColumn[lead] as number)) lead = j;
    }
    const leadCol = columns[lead] as FeatureColumn;
    const described =
      leadCol.description !== undefined
        ? leadCol
        : f.columns.map((j) => columns[j] as FeatureColumn).find((c) => c.description !== undefined);
    const templated =
      leadCol.template !== undefined
        ? leadCol
        : f.columns.map((j) => columns[j] as FeatureColumn).find((c) => c.template !== undefined);
    const value = rawValueOf(f.field, f.columns, columns, rawValues, x);
    const vars = { value, field: f.field };
    const description =
      described?.description !== undefined ? fill(described.description, vars, rawValues) : undefined;
    let body: string;
    if (phrase !== undefined) {
      const text = phrase(lead);
      if (typeof text !== 'string') {
        throw new InputTypeError(
          message(api, `phrase(${lead}) did not return a string`, 'a string', describeValue(text)),
        );
      }
      body = text;
    } else if (templated?.template !== undefined) {
      body = fill(templated.template, { ...vars, description }, rawValues);
    } else {
      body = `${f.field}${value !== undefined ? ` = ${value}` : ''}${description !== undefined ? ` (${description})` : ''}`;
    }
    return {
      field: f.field,
      value,
      attribution: f.attribution,
      columns: f.columns.map((j) => (columns[j] as FeatureColumn).name),
      description,
      text: `${body} ${formatNumber(f.attribution, digits)}`,
    };
  });
}

/**
 * Joins reasons into one line of text, e.g.
 * `hour = 03:00 (unusual for this user) +4.1; dst_computer C1003 never seen for U620 +3.2`.
 *
 * @param separator - placed between reasons. Default `'; '`.
 * @example
 * ```ts
 * formatReasons(reasons(values, columns, raw)); // "hour = 03:00 (unusual for this user) +4.1; …"
 * ```
 */
export function formatReasons(list: readonly Reason[], separator = '; '): string {
  if (!Array.isArray(list)) {
    throw new InputTypeError(
      message('formatReasons', 'expected an array of reasons', 'Reason[]', describeValue(list)),
    );
  }
  return list.map((r) => r.text).join(separator);
}
