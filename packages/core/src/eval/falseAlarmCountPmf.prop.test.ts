import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ConformalCount, falseAlarmCountPmf } from './falseAlarmCountPmf.js';
import { falseAlarmRange } from './falseAlarmRange.js';

/**
 * Brute force: every placement of the m events among the n + m ranks is equally likely under
 * exchangeability; count the events ranked above the k-th largest calibration energy in each.
 */
function enumerated({ calibration: n, rank: k, events: m }: ConformalCount): number[] {
  const counts = new Array<number>(m + 1).fill(0);
  let total = 0;
  // bit i set = rank i (0 = largest) is an event
  for (let mask = 0; mask < 1 << (n + m); mask++) {
    let bits = 0;
    for (let v = mask; v > 0; v >>= 1) bits += v & 1;
    if (bits !== m) continue;
    total++;
    let cal = 0;
    let above = 0;
    for (let i = 0; i < n + m && cal < k; i++) {
      if ((mask >> i) & 1) above++;
      else cal++;
    }
    counts[above] = (counts[above] as number) + 1;
  }
  return counts.map((c) => c / total);
}

function binom(a: number, b: number): bigint {
  if (b < 0 || b > a) return 0n;
  let r = 1n;
  for (let i = 1; i <= b; i++) r = (r * BigInt(a - b + i)) / BigInt(i);
  return r;
}

/** The negative hypergeometric closed form C(x + k − 1, x)·C(m − x + n − k, m − x) / C(n + m, m), in integers. */
function closedForm({ calibration: n, rank: k, events: m }: ConformalCount): number[] {
  const den = binom(n + m, m);
  const out: number[] = [];
  for (let x = 0; x <= m; x++) {
    const num = binom(x + k - 1, x) * binom(m - x + n - k, m - x);
    // scale to keep 15 significant digits of the ratio of two big integers
    out.push(Number((num * 10n ** 18n) / den) / 1e18);
  }
  return out;
}

const part = (maxN: number, maxM: number): fc.Arbitrary<ConformalCount> =>
  fc
    .record({ n: fc.integer({ min: 1, max: maxN }), m: fc.integer({ min: 0, max: maxM }) })
    .chain(({ n, m }) => fc.integer({ min: 1, max: n }).map((k) => ({ calibration: n, rank: k, events: m })));

describe('falseAlarmCountPmf', () => {
  it('matches the enumeration of every placement of the events among the ranks (n + m ≤ 12)', () => {
    fc.assert(
      fc.property(part(7, 5), (p) => {
        const got = falseAlarmCountPmf(p);
        const want = enumerated(p);
        expect(got.length).toBe(want.length);
        for (let x = 0; x < want.length; x++) expect(got[x]).toBeCloseTo(want[x] as number, 12);
      }),
      { numRuns: 60 },
    );
  });

  it('matches the closed form in exact integers and sums to 1 (n, m ≤ 30)', () => {
    fc.assert(
      fc.property(part(30, 30), (p) => {
        const got = falseAlarmCountPmf(p);
        const want = closedForm(p);
        let sum = 0;
        for (let x = 0; x < want.length; x++) {
          expect(Math.abs((got[x] as number) - (want[x] as number))).toBeLessThan(1e-12);
          sum += got[x] as number;
        }
        expect(sum).toBeCloseTo(1, 12);
      }),
      { numRuns: 100 },
    );
  });

  it('pools independent thresholds: the pmf of the sum, by joint enumeration', () => {
    fc.assert(
      fc.property(part(5, 3), part(5, 3), (a, b) => {
        const pa = enumerated(a);
        const pb = enumerated(b);
        const want = new Array<number>(a.events + b.events + 1).fill(0);
        for (let i = 0; i < pa.length; i++)
          for (let j = 0; j < pb.length; j++)
            want[i + j] = (want[i + j] as number) + (pa[i] as number) * (pb[j] as number);
        const got = falseAlarmCountPmf([a, b]);
        for (let x = 0; x < want.length; x++) expect(got[x]).toBeCloseTo(want[x] as number, 12);
      }),
      { numRuns: 40 },
    );
  });

  it('sums to 1 and has mean Σ m·k/(n + 1) at benchmark sizes', () => {
    const parts = [
      { calibration: 10_980, rank: 10, events: 19_504 },
      { calibration: 10_064, rank: 100, events: 17_371 },
    ];
    const pmf = falseAlarmCountPmf(parts);
    let sum = 0;
    let mean = 0;
    for (let x = 0; x < pmf.length; x++) {
      sum += pmf[x] as number;
      mean += x * (pmf[x] as number);
    }
    expect(sum).toBeCloseTo(1, 9);
    expect(mean).toBeCloseTo(falseAlarmRange(parts).mean, 6);
  });
});

describe('falseAlarmRange', () => {
  it('holds at least the level, with at most (1 − level)/2 outside each end', () => {
    fc.assert(
      fc.property(part(30, 30), fc.constantFrom(0.5, 0.8, 0.95), (p, level) => {
        const pmf = closedForm(p);
        const r = falseAlarmRange(p, level);
        const below = pmf.slice(0, r.low).reduce((s, v) => s + v, 0);
        const above = pmf.slice(r.high + 1).reduce((s, v) => s + v, 0);
        const tail = (1 - level) / 2;
        expect(below).toBeLessThan(tail + 1e-12);
        expect(above).toBeLessThanOrEqual(tail + 1e-12);
        // the ends are tight: one step inwards leaves more than the tail outside
        expect(below + (pmf[r.low] as number)).toBeGreaterThanOrEqual(tail - 1e-12);
        expect(above + (pmf[r.high] as number)).toBeGreaterThan(tail - 1e-12);
      }),
      { numRuns: 80 },
    );
  });

  it('gives the benchmark-sized ranges (rate 0.001 and 0.01, n = 10,980, m = 19,504)', () => {
    // k = ⌊α(n + 1)⌋; ratios observed ÷ requested 0.31–1.74 at 0.001, 0.77–1.24 at 0.01
    expect(falseAlarmRange({ calibration: 10_980, rank: 10, events: 19_504 })).toMatchObject({
      low: 6,
      high: 34,
    });
    expect(falseAlarmRange({ calibration: 10_980, rank: 109, events: 19_504 })).toMatchObject({
      low: 151,
      high: 241,
    });
  });

  it('rejects bad parts and levels with a message naming them', () => {
    expect(() => falseAlarmRange([])).toThrow(/parts is empty/);
    expect(() => falseAlarmRange({ calibration: 10, rank: 11, events: 5 })).toThrow(
      /rank must be an integer in \[1, calibration\]/,
    );
    expect(() => falseAlarmRange({ calibration: 0, rank: 1, events: 5 })).toThrow(
      /calibration must be an integer/,
    );
    expect(() => falseAlarmRange({ calibration: 10, rank: 1, events: 1.5 })).toThrow(
      /events must be an integer/,
    );
    expect(() => falseAlarmRange({ calibration: 10, rank: 1, events: 5 }, 1)).toThrow(
      /level is out of range/,
    );
    expect(() => falseAlarmCountPmf(null as unknown as ConformalCount)).toThrow(/a part must be an object/);
    expect(() => falseAlarmCountPmf({ calibration: 10, rank: 1, events: 20_000_000 })).toThrow(
      /too many events/,
    );
  });
});
