import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReorderWindow, releaseOrder } from './ReorderWindow.js';

/** Items arriving `delay ∈ [0, L]` after their time: no item is more than L behind one before it. */
const boundedArrivals = (L: number) =>
  fc
    .array(fc.record({ t: fc.integer({ min: 0, max: 2000 }), d: fc.integer({ min: 0, max: L }) }), {
      minLength: 1,
      maxLength: 200,
    })
    .map((xs) => {
      const items = xs.map((x, id) => ({ id, t: x.t, arrival: x.t + x.d }));
      return [...items].sort((a, b) => a.arrival - b.arrival || a.id - b.id);
    });

function run<T>(w: ReorderWindow<T>, items: readonly T[], time: (x: T) => number): T[] {
  const out: T[] = [];
  for (const x of items) w.push(x, time(x), out);
  w.flush(out);
  return out;
}

describe('ReorderWindow', () => {
  it('releases in time order once the watermark passes, and counts what comes too late', () => {
    const w = new ReorderWindow<string>(10);
    const out: string[] = [];
    expect(w.push('b', 105, out)).toBe(false);
    expect(w.push('a', 100, out)).toBe(false);
    expect(out).toEqual([]);
    w.push('c', 120, out); // watermark 110: a and b go
    expect(out).toEqual(['a', 'b']);
    expect(w.push('late', 95, out)).toBe(true); // behind the watermark: at once, in arrival order
    expect(out).toEqual(['a', 'b', 'late']);
    w.push('d', 112, out); // within the window: waits
    w.flush(out);
    expect(out).toEqual(['a', 'b', 'late', 'd', 'c']);
    expect(w.stats()).toEqual({ events: 5, late: 1, forced: 0, held: 0 });
    // after a flush, anything behind what was released is late
    expect(w.push('old', 119, out)).toBe(true);
  });

  it('keeps memory bounded: beyond maxHeld the earliest is released early and counted', () => {
    const w = new ReorderWindow<number>(Number.POSITIVE_INFINITY, { maxHeld: 3 });
    const out: number[] = [];
    for (const t of [5, 4, 3, 2]) w.push(t, t, out);
    expect(out).toEqual([2]); // a fourth item: the earliest held goes early
    expect(w.stats().forced).toBe(1);
    expect(w.held).toBe(3);
    expect(w.push(1, 1, out)).toBe(true); // behind an early release: late, never out of order
    expect(out).toEqual([2, 1]);
  });

  it('rejects a non-finite time and a bad lateness', () => {
    const w = new ReorderWindow<number>(1);
    expect(() => w.push(1, Number.NaN, [])).toThrow(/finite/);
    expect(() => new ReorderWindow<number>(-1)).toThrow(/maxLatenessSeconds/);
    expect(() => new ReorderWindow<number>(1, { maxHeld: 0 })).toThrow(/maxHeld/);
  });

  it('property: any arrival order within the window comes out sorted by time (ties in arrival order), nothing late', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 300 }).chain((L) => fc.tuple(fc.constant(L), boundedArrivals(L))),
        ([L, arrivals]) => {
          const w = new ReorderWindow<(typeof arrivals)[number]>(L);
          const out = run(w, arrivals, (x) => x.t);
          const expected = arrivals
            .map((x, k) => ({ x, k }))
            .sort((a, b) => a.x.t - b.x.t || a.k - b.k)
            .map((a) => a.x);
          expect(out).toEqual(expected);
          expect(w.stats().late).toBe(0);
        },
      ),
      { numRuns: 60, seed: 11 },
    );
  });

  it('property: any input comes out whole; what is not late comes out in time order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 200 }),
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 1, max: 50 }),
        (times, L, maxHeld) => {
          const w = new ReorderWindow<number>(L, { maxHeld });
          const out: number[] = [];
          const late = new Set<number>();
          times.forEach((t, i) => {
            if (w.push(i, t, out)) late.add(i);
            expect(w.held).toBeLessThanOrEqual(maxHeld);
          });
          w.flush(out);
          expect([...out].sort((a, b) => a - b)).toEqual(times.map((_, i) => i));
          const inOrder = out.filter((i) => !late.has(i)).map((i) => times[i] as number);
          for (let k = 1; k < inOrder.length; k++)
            expect(inOrder[k]).toBeGreaterThanOrEqual(inOrder[k - 1] as number);
          expect(w.stats().late).toBe(late.size);
          // the batch helper gives the same order
          const r = releaseOrder(Float64Array.from(times), L);
          const order = r.order === undefined ? times.map((_, i) => i) : Array.from(r.order);
          if (maxHeld >= times.length) expect(order).toEqual(out);
        },
      ),
      { numRuns: 150, seed: 12 },
    );
  });

  it('releaseOrder: Infinity is a stable sort, 0 the arrival order', () => {
    const t = Float64Array.of(3, 1, 2, 1);
    expect(Array.from(releaseOrder(t, Number.POSITIVE_INFINITY).order ?? [])).toEqual([1, 3, 2, 0]);
    const zero = releaseOrder(t, 0);
    expect(Array.from(zero.order ?? [])).toEqual([0, 1, 2, 3]);
    expect(zero.late).toBe(3);
    expect(releaseOrder(Float64Array.of(1, 2, 2, 5), 0).order).toBeUndefined();
  });
});
