/**
 * A declarative field map for JSON logs no built-in format reads: which JSON path fills which field of an
 * {@link AuthEvent} or a {@link CloudTrailEvent}, with simple value translations. A map is plain JSON, is
 * checked strictly when it is built ({@link checkFieldMap}: unknown target fields, malformed paths and
 * translations are errors naming the field), and is saved with a trained pipeline so scoring reads the
 * logs the same way.
 *
 * ```json
 * {
 *   "event": "auth",
 *   "fields": {
 *     "time": "published",
 *     "user": "actor.alternateId",
 *     "srcHost": "client.ipAddress",
 *     "action": "eventType",
 *     "success": { "path": "outcome.result", "values": { "SUCCESS": true, "FAILURE": false } },
 *     "authType": { "value": "sso" }
 *   }
 * }
 * ```
 *
 * A field is a path (dotted keys; a key that itself contains dots is found too), or an object with `path`
 * and optional `values` (a translation table: a value outside it makes the record malformed, it is never
 * guessed) and `default` (used when the path is absent), or `{ "value": constant }`. A path that a record
 * lacks leaves the field empty; a record that lacks a required field (`time`, `user` or `success` for
 * `auth`; `time`, `eventName` for `cloudtrail`) is malformed, with the reason.
 *
 * @module
 */
import { message, ParameterError } from '@nexus/ebm-core';
import { BAD, type LineParser } from './common.js';
import type { AuthEvent, CloudTrailEvent } from './events.js';
import { asString, getPath, type JsonObject, jsonObjectOfLine } from './json.js';
import { parseJsonTime } from './time.js';

/**
 * One mapped field: a JSON path, or a path with a translation table and a default, or a constant.
 *
 * @example
 * ```ts
 * const f: FieldSpec = { path: 'outcome.result', values: { SUCCESS: true, FAILURE: false } };
 * ```
 */
export type FieldSpec =
  | string
  | {
      /** JSON path, dotted. */
      readonly path: string;
      /** Translation of the logged values (strings, as printed) to the field's values. */
      readonly values?: Readonly<Record<string, string | number | boolean>>;
      /** The value when the record lacks the path. */
      readonly default?: string | number | boolean;
    }
  | {
      /** A constant value for every record. */
      readonly value: string | number | boolean;
    };

/**
 * A field map (see the module description).
 *
 * @example
 * ```ts
 * const map: FieldMap = { event: 'auth', fields: { time: 'ts', user: 'who', success: 'ok' } };
 * ```
 */
export interface FieldMap {
  /** The event the records become: `auth` ({@link AuthEvent}) or `cloudtrail` ({@link CloudTrailEvent}). */
  readonly event: 'auth' | 'cloudtrail';
  /** Target field → source. */
  readonly fields: Readonly<Record<string, FieldSpec>>;
}

type Kind = 'time' | 'string' | 'boolean';

const AUTH_FIELDS: Readonly<Record<string, Kind>> = {
  time: 'time',
  user: 'string',
  srcUser: 'string',
  srcHost: 'string',
  dstHost: 'string',
  authType: 'string',
  logonType: 'string',
  action: 'string',
  success: 'boolean',
};
const CLOUDTRAIL_FIELDS: Readonly<Record<string, Kind>> = {
  time: 'time',
  eventName: 'string',
  eventSource: 'string',
  awsRegion: 'string',
  sourceIp: 'string',
  userAgent: 'string',
  userType: 'string',
  user: 'string',
  accountId: 'string',
  eventType: 'string',
  errorCode: 'string',
  errorMessage: 'string',
  success: 'boolean',
  mfa: 'boolean',
};
const REQUIRED: Readonly<Record<FieldMap['event'], readonly string[]>> = {
  auth: ['time', 'user', 'success'],
  cloudtrail: ['time', 'eventName'],
};
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function targets(event: FieldMap['event']): Readonly<Record<string, Kind>> {
  return event === 'auth' ? AUTH_FIELDS : CLOUDTRAIL_FIELDS;
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s === undefined ? typeof v : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function checkPath(api: string, field: string, path: unknown): void {
  if (typeof path !== 'string' || path.length === 0 || path.length > 256) {
    throw new ParameterError(
      message(
        api,
        `field ${field}: the path must be a non-empty string of at most 256 characters`,
        'e.g. "actor.name"',
        describe(path),
      ),
    );
  }
  for (const seg of path.split('.')) {
    if (seg === '' || seg.trim() !== seg || FORBIDDEN_KEYS.has(seg)) {
      throw new ParameterError(
        message(
          api,
          `field ${field}: malformed path ${JSON.stringify(path)}`,
          'dot-separated keys without empty, padded or __proto__ segments',
          JSON.stringify(seg),
        ),
      );
    }
  }
}

function checkScalar(api: string, what: string, kind: Kind, v: unknown): void {
  const ok =
    kind === 'boolean'
      ? typeof v === 'boolean'
      : typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
  if (!ok) {
    throw new ParameterError(
      message(
        api,
        `${what} has the wrong type`,
        kind === 'boolean' ? 'true or false' : 'a string or a finite number',
        describe(v),
      ),
    );
  }
}

/**
 * Checks a field map (any value, e.g. parsed from a file) and returns it typed; every problem is a
 * `ParameterError` naming the field.
 *
 * @example
 * ```ts
 * const map = checkFieldMap(JSON.parse(fs.readFileSync('map.json', 'utf8')));
 * ```
 */
export function checkFieldMap(value: unknown): FieldMap {
  const api = 'fieldMap';
  if (!isPlainObject(value)) {
    throw new ParameterError(
      message(api, 'a field map must be an object', '{ "event": …, "fields": {…} }', describe(value)),
    );
  }
  for (const k of Object.keys(value)) {
    if (k !== 'event' && k !== 'fields') {
      throw new ParameterError(
        message(api, `unknown key ${JSON.stringify(k)}`, 'event, fields', JSON.stringify(k)),
      );
    }
  }
  const event = value.event;
  if (event !== 'auth' && event !== 'cloudtrail') {
    throw new ParameterError(message(api, 'unknown event', '"auth" or "cloudtrail"', describe(event)));
  }
  const fields = value.fields;
  if (!isPlainObject(fields)) {
    throw new ParameterError(
      message(api, 'fields must be an object', 'target field → JSON path', describe(fields)),
    );
  }
  const known = targets(event);
  for (const [field, spec] of Object.entries(fields)) {
    const kind = known[field];
    if (kind === undefined || !Object.hasOwn(known, field)) {
      throw new ParameterError(
        message(
          api,
          `unknown target field ${JSON.stringify(field)} for ${event} events`,
          Object.keys(known).join(', '),
          JSON.stringify(field),
        ),
      );
    }
    if (typeof spec === 'string') {
      checkPath(api, field, spec);
      continue;
    }
    if (!isPlainObject(spec)) {
      throw new ParameterError(
        message(api, `field ${field} must be a path or an object`, '"a.b" or { "path": … }', describe(spec)),
      );
    }
    if (Object.hasOwn(spec, 'value')) {
      if (Object.keys(spec).length !== 1) {
        throw new ParameterError(
          message(api, `field ${field}: a constant takes no other keys`, '{ "value": … }', describe(spec)),
        );
      }
      checkScalar(api, `field ${field}: value`, kind, spec.value);
      continue;
    }
    for (const k of Object.keys(spec)) {
      if (k !== 'path' && k !== 'values' && k !== 'default') {
        throw new ParameterError(
          message(
            api,
            `field ${field}: unknown key ${JSON.stringify(k)}`,
            'path, values, default',
            JSON.stringify(k),
          ),
        );
      }
    }
    checkPath(api, field, spec.path);
    if (spec.values !== undefined) {
      if (!isPlainObject(spec.values) || Object.keys(spec.values).length === 0) {
        throw new ParameterError(
          message(
            api,
            `field ${field}: values must be a non-empty object`,
            '{ "logged": mapped }',
            describe(spec.values),
          ),
        );
      }
      for (const [from, to] of Object.entries(spec.values))
        checkScalar(api, `field ${field}: values[${JSON.stringify(from)}]`, kind, to);
    }
    if (spec.default !== undefined) checkScalar(api, `field ${field}: default`, kind, spec.default);
  }
  for (const r of REQUIRED[event]) {
    if (!Object.hasOwn(fields, r)) {
      throw new ParameterError(
        message(
          api,
          `the required field ${r} of ${event} events is not mapped`,
          REQUIRED[event].join(', '),
          Object.keys(fields).join(', ') || 'none',
        ),
      );
    }
  }
  return { event, fields: fields as Record<string, FieldSpec> };
}

/**
 * A JSON-lines parser driven by a {@link FieldMap}: yields {@link AuthEvent}s (format `json`) or
 * {@link CloudTrailEvent}s, as the map says.
 *
 * @example
 * ```ts
 * const p = new FieldMapParser({ event: 'auth', fields: { time: 'ts', user: 'who', success: 'ok' } });
 * const out: object[] = [];
 * p.parseLine('{"ts":"2024-01-01T00:00:00Z","who":"bob","ok":true}', 1, out); // 1
 * ```
 */
export class FieldMapParser implements LineParser<AuthEvent | CloudTrailEvent> {
  /** Format name. */
  readonly format: string = 'json';
  /** Why the last line was skipped or rejected. */
  reason = '';
  /** The checked map. */
  readonly map: FieldMap;
  private readonly fields: ReadonlyArray<[string, Kind, FieldSpec]>;

  /** @param map - the field map (checked with {@link checkFieldMap}). */
  constructor(map: unknown) {
    this.map = checkFieldMap(map);
    const known = targets(this.map.event);
    this.fields = Object.entries(this.map.fields).map(([f, s]) => [f, known[f] as Kind, s]);
  }

  /** Parses one line; see {@link LineParser.parseLine}. */
  parseLine(line: string, lineNo: number, out: Array<AuthEvent | CloudTrailEvent>): number {
    const o = jsonObjectOfLine(line, this);
    if (typeof o === 'number') return o;
    const got: Record<string, string | number | boolean> = {};
    for (const [field, kind, spec] of this.fields) {
      const r = this.read(o, field, kind, spec);
      if (r === undefined) return BAD;
      if (r !== null) got[field] = r;
    }
    for (const r of REQUIRED[this.map.event]) {
      if (got[r] === undefined || got[r] === '') {
        this.reason = `required field ${r} is absent (map: ${describe(this.map.fields[r])})`;
        return BAD;
      }
    }
    const s = (k: string): string =>
      typeof got[k] === 'string' ? (got[k] as string) : got[k] === undefined ? '' : String(got[k]);
    if (this.map.event === 'auth') {
      const user = s('user');
      out.push({
        format: 'json',
        line: lineNo,
        time: got.time as number,
        user,
        srcUser: s('srcUser') || user,
        srcHost: s('srcHost'),
        dstHost: s('dstHost'),
        authType: s('authType'),
        logonType: s('logonType'),
        action: s('action'),
        success: got.success as boolean,
      });
    } else {
      const errorCode = s('errorCode');
      out.push({
        line: lineNo,
        time: got.time as number,
        eventName: s('eventName'),
        eventSource: s('eventSource'),
        awsRegion: s('awsRegion'),
        sourceIp: s('sourceIp'),
        userAgent: s('userAgent'),
        userType: s('userType'),
        user: s('user'),
        accountId: s('accountId'),
        eventType: s('eventType'),
        errorCode,
        errorMessage: s('errorMessage'),
        success: typeof got.success === 'boolean' ? got.success : errorCode === '',
        mfa: got.mfa === true,
      });
    }
    return 1;
  }

  /** The field's value; null when the record lacks it; undefined (reason set) when it is malformed. */
  private read(
    o: JsonObject,
    field: string,
    kind: Kind,
    spec: FieldSpec,
  ): string | number | boolean | null | undefined {
    let raw: unknown;
    let path: string;
    if (typeof spec === 'string') {
      path = spec;
      raw = getPath(o, spec);
    } else if ('value' in spec) return spec.value;
    else {
      path = spec.path;
      raw = getPath(o, spec.path);
      if (raw === undefined || raw === null || raw === '') {
        if (spec.default !== undefined) return spec.default;
      } else if (spec.values !== undefined) {
        const key = typeof raw === 'string' ? raw : asString(raw);
        if (!Object.hasOwn(spec.values, key)) {
          this.reason = `${path} = ${describe(raw)} is not among the map's values for ${field} (${Object.keys(spec.values).join(', ')})`;
          return undefined;
        }
        return spec.values[key] as string | number | boolean;
      }
    }
    if (raw === undefined || raw === null || raw === '') return null;
    if (kind === 'time') {
      const t = parseJsonTime(raw);
      if (Number.isNaN(t)) {
        this.reason = `${path} = ${describe(raw)} is not a time for ${field} (expected ISO 8601 or epoch seconds / milliseconds)`;
        return undefined;
      }
      return t;
    }
    if (kind === 'boolean') {
      if (typeof raw !== 'boolean') {
        this.reason = `${path} = ${describe(raw)} is not true or false for ${field} (give the map a values table)`;
        return undefined;
      }
      return raw;
    }
    if (typeof raw === 'object') {
      this.reason = `${path} is ${Array.isArray(raw) ? 'an array' : 'an object'}, not a value for ${field}`;
      return undefined;
    }
    return asString(raw);
  }
}
