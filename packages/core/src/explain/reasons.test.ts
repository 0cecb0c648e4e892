import { describe, expect, it } from 'vitest';
import { ParameterError, ShapeError, ValueError } from '../errors.js';
import type { FeatureColumn } from '../model/FeatureColumn.js';
import { fieldGroups, formatReasons, groupByField, reasons } from './reasons.js';

const columns: FeatureColumn[] = [
  { name: 'hour_sin', field: 'hour', kind: 'cyclic', description: 'unusual for this user' },
  { name: 'hour_cos', field: 'hour', kind: 'cyclic', description: 'unusual for this user' },
  {
    name: 'user_dst_first_seen',
    field: 'user→dst_computer',
    kind: 'flag',
    description: 'never seen for {user}',
    template: 'dst_computer {value} {description}',
  },
  { name: 'auth_type=Kerberos', field: 'auth_type', kind: 'onehot', value: 'Kerberos' },
  { name: 'auth_type=NTLM', field: 'auth_type', kind: 'onehot', value: 'NTLM' },
  { name: 'bytes', field: 'bytes', kind: 'numeric' },
];
const attributions = [3.0, 1.1, 3.2, -0.2, 0.9, -1.5];

describe('groupByField', () => {
  it('folds columns that share a field and keeps the total', () => {
    const g = groupByField(attributions, columns);
    expect(g.map((f) => f.field)).toEqual(['hour', 'user→dst_computer', 'auth_type', 'bytes']);
    expect(g[0]?.attribution).toBeCloseTo(4.1, 12);
    expect(g[2]?.columns).toEqual([3, 4]);
    const total = g.reduce((s, f) => s + f.attribution, 0);
    expect(total).toBeCloseTo(
      attributions.reduce((s, v) => s + v, 0),
      12,
    );
    expect(fieldGroups(columns).groups).toEqual([[0, 1], [2], [3, 4], [5]]);
  });

  it('rejects mismatched lengths and non-finite values', () => {
    expect(() => groupByField([1, 2], columns)).toThrow(ShapeError);
    expect(() => groupByField([1, 2, 3, 4, 5, Number.NaN], columns)).toThrow(ValueError);
  });
});

describe('reasons', () => {
  it('ranks fields by attribution and words them from the raw log', () => {
    const list = reasons(attributions, columns, { hour: '03:00', user: 'U620', dst_computer: 'C1003' });
    expect(list.map((r) => r.field)).toEqual(['hour', 'user→dst_computer', 'auth_type']);
    expect(formatReasons(list.slice(0, 2))).toBe(
      'hour = 03:00 (unusual for this user) +4.1; dst_computer C1003 never seen for U620 +3.2',
    );
    expect(list[0]?.columns).toEqual(['hour_sin', 'hour_cos']);
    expect(list[1]?.value).toBe('C1003');
  });

  it('names the active one-hot category from the feature row, and can rank by |attribution|', () => {
    const x = [0.1, 0.9, 1, 0, 1, 12];
    const list = reasons(attributions, columns, undefined, { x, sign: 'all', top: 4, digits: 2 });
    expect(list.map((r) => r.field)).toEqual(['hour', 'user→dst_computer', 'bytes', 'auth_type']);
    expect(list[3]?.text).toBe('auth_type = NTLM +0.70');
    expect(list[2]?.text).toBe('bytes -1.50');
    // Without raw values the placeholders read as their names.
    expect(list[1]?.text).toBe('dst_computer ? never seen for user +3.20');
  });

  it('accepts already grouped attributions and honours top and minAttribution', () => {
    const grouped = groupByField(attributions, columns);
    expect(reasons(grouped, columns, { hour: '03:00' }, { top: 1 }).map((r) => r.text)).toEqual([
      'hour = 03:00 (unusual for this user) +4.1',
    ]);
    expect(reasons(attributions, columns, {}, { minAttribution: 3.5 })).toHaveLength(1);
    // Grouped input: the active one-hot column words the reason.
    const described = columns.map((c) =>
      c.value === undefined ? c : { ...c, description: `auth is ${c.value}` },
    );
    const x = [0, 1, 1, 0, 1, 0];
    const auth = reasons(grouped, described, undefined, { x }).find((r) => r.field === 'auth_type');
    expect(auth?.text).toBe('auth_type = NTLM (auth is NTLM) +0.7');
  });

  it("words reasons with the featurizer's phrases from the driving column", () => {
    const asked: number[] = [];
    const phrase = (j: number): string => {
      asked.push(j);
      return (
        ['time of day 03:00', 'time of day 03:00', 'dst_computer C1003 first seen for user U620'][j] ??
        `column ${j}`
      );
    };
    const list = reasons(attributions, columns, {}, { phrase, top: 2 });
    expect(formatReasons(list)).toBe(
      'time of day 03:00 +4.1; dst_computer C1003 first seen for user U620 +3.2',
    );
    expect(asked).toEqual([0, 2]); // hour_sin drives the hour field (3.0 > 1.1)
  });

  it('rejects bad options', () => {
    expect(() => reasons(attributions, columns, {}, { top: -1 })).toThrow(ParameterError);
    expect(() => reasons(attributions, columns, {}, { x: [1] })).toThrow(ShapeError);
    expect(() => reasons(attributions, columns, {}, { sign: 'up' as 'all' })).toThrow(ParameterError);
  });
});
