import { Matrix } from '@nexus/ebm-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ScoredEvent } from './score.js';
import { SpreadSample, TopEvents } from './topEvents.js';

/** Rows 0…n−1 (energy from the list, feature row [i, −i]) offered in chunks of the given sizes. */
function offerInChunks(
  energies: readonly number[],
  sizes: readonly number[],
  top: TopEvents,
  bg: SpreadSample,
): void {
  let i = 0;
  let s = 0;
  while (i < energies.length) {
    const k = Math.min(energies.length - i, sizes[s++ % sizes.length] as number);
    const rows: ScoredEvent[] = [];
    const events: object[] = [];
    const X = new Matrix(k, 2);
    for (let j = 0; j < k; j++) {
      rows.push({ line: i + j + 1, energy: energies[i + j] as number, pValue: 0.5, flag: 0 });
      events.push({ at: i + j });
      X.set(j, 0, i + j);
      X.set(j, 1, -(i + j));
    }
    top.offer(events, X, rows);
    bg.offer(X);
    i += k;
  }
}

describe('TopEvents and SpreadSample', () => {
  it('keep the same events and rows however the stream is chunked', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constant(Number.POSITIVE_INFINITY)), {
          maxLength: 300,
        }),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 12 }),
        (energies, sizes, n) => {
          const a = new TopEvents(n);
          const b = new TopEvents(n);
          const bgA = new SpreadSample(8);
          const bgB = new SpreadSample(8);
          offerInChunks(energies, [energies.length || 1], a, bgA);
          offerInChunks(energies, sizes, b, bgB);
          // the n highest energies, earlier lines first among ties
          const want = energies
            .map((e, i) => ({ e, line: i + 1 }))
            .sort((x, y) => y.e - x.e || x.line - y.line || 0)
            .slice(0, n)
            .map((r) => r.line);
          const got = b.events();
          expect(got.map((k) => k.row.line)).toEqual(want);
          expect(a.events().map((k) => k.row.line)).toEqual(want);
          for (const k of got) {
            expect(Array.from(k.x)).toEqual([k.row.line - 1, -(k.row.line - 1)]);
            expect((k.event as { at: number }).at).toBe(k.row.line - 1);
          }
          const mA = bgA.matrix();
          const mB = bgB.matrix();
          if (energies.length === 0) {
            expect(mB).toBeUndefined();
            return;
          }
          expect(Array.from((mB as Matrix).data)).toEqual(Array.from((mA as Matrix).data));
          expect((mB as Matrix).rows).toBeGreaterThanOrEqual(Math.min(8, energies.length));
          expect((mB as Matrix).rows).toBeLessThan(16);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('spreads the background over the whole stream', () => {
    const bg = new SpreadSample(8);
    const X = new Matrix(1000, 1);
    for (let i = 0; i < 1000; i++) X.set(i, 0, i);
    bg.offer(X);
    const rows = Array.from((bg.matrix() as Matrix).data);
    expect(rows[0]).toBe(0);
    expect(rows[rows.length - 1] as number).toBeGreaterThan(800);
    const gaps = rows.slice(1).map((v, i) => v - (rows[i] as number));
    expect(new Set(gaps).size).toBe(1); // evenly spaced
  });
});
