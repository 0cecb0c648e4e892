import { describeValue, ModelFormatError, message } from '../errors.js';
import type { BaseScaler } from './BaseScaler.js';
import { MinMaxScaler } from './MinMaxScaler.js';
import { RobustScaler } from './RobustScaler.js';
import type { Scaler, ScalerType } from './Scaler.js';
import { StandardScaler } from './StandardScaler.js';

const API = 'loadScaler';
const KEYS = new Set(['kind', 'type', 'version', 'center', 'scale']);
const FACTORIES: Readonly<Record<ScalerType, () => BaseScaler>> = {
  standard: () => new StandardScaler(),
  robust: () => new RobustScaler(),
  minmax: () => new MinMaxScaler(),
};

function fail(what: string, expected: string, got: string): never {
  throw new ModelFormatError(message(API, what, expected, got));
}

function readVector(obj: Record<string, unknown>, key: 'center' | 'scale', positive: boolean): Float64Array {
  const v = obj[key];
  if (!Array.isArray(v)) fail(`${key} is not an array`, 'an array of finite numbers', describeValue(v));
  if (v.length === 0) fail(`${key} is empty`, 'at least one value', '0 values');
  const out = new Float64Array(v.length);
  for (let j = 0; j < v.length; j++) {
    const x: unknown = v[j];
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      fail(`${key}[${j}] is not a finite number`, 'a finite number', describeValue(x));
    }
    if (positive && !(x > 0)) fail(`${key}[${j}] is not positive`, 'a number > 0', String(x));
    out[j] = x;
  }
  return out;
}

/**
 * Restores a scaler saved with `toJSON()` (the object, or its JSON text). Everything is validated before
 * use, so corrupt or hostile input is a {@link ModelFormatError}: a wrong `kind`, `type` or `version`,
 * unknown or prototype-polluting keys (`__proto__`, `constructor`, `prototype`), non-finite values,
 * a non-positive scale, or center and scale of different lengths.
 *
 * @example
 * ```ts
 * const saved = JSON.stringify(new StandardScaler().fit([[1], [3]]).toJSON());
 * const s = loadScaler(saved);
 * s.transform([[3]]).get(0, 0); // 1
 * ```
 */
export function loadScaler(json: unknown): Scaler {
  let value = json;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value) as unknown;
    } catch (e) {
      fail('text is not valid JSON', 'a JSON object', e instanceof Error ? e.message : String(e));
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    fail('not a scaler object', 'an object from Scaler.toJSON()', describeValue(value));
  }
  const obj = value as Record<string, unknown>;
  for (const key of Reflect.ownKeys(obj)) {
    if (typeof key !== 'string' || !KEYS.has(key)) {
      fail('unexpected key', 'only kind, type, version, center, scale', JSON.stringify(String(key)));
    }
  }
  if (obj.kind !== 'scaler') fail('wrong kind', '"scaler"', describeValue(obj.kind));
  if (obj.version !== 1) fail('unsupported version', '1', describeValue(obj.version));
  const type = obj.type;
  if (type !== 'standard' && type !== 'robust' && type !== 'minmax') {
    fail('unknown scaler type', '"standard", "robust" or "minmax"', describeValue(type));
  }
  const center = readVector(obj, 'center', false);
  const scale = readVector(obj, 'scale', true);
  if (center.length !== scale.length) {
    fail('center and scale lengths differ', `${center.length} scale values`, `${scale.length}`);
  }
  return FACTORIES[type]().restore(center, scale);
}
