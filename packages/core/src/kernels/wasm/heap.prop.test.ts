import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WasmHeap } from './heap.js';
import { type WasmApi, wasmApi } from './wasmApi.js';

const api: WasmApi = wasmApi() as WasmApi;

function freshHeap(base = 100): WasmHeap {
  return new WasmHeap(new api.Memory({ initial: 1 }), base);
}

describe('WasmHeap', () => {
  it('hands out 16-byte aligned, non-overlapping blocks above the base, and grows the memory', () => {
    const heap = freshHeap(100);
    const a = heap.alloc(1);
    const b = heap.alloc(100_000); // larger than the first page: forces growth
    expect(a).toBe(112);
    expect(b % 16).toBe(0);
    expect(b).toBeGreaterThanOrEqual(a + 16);
    expect(heap.bytesReserved).toBeGreaterThanOrEqual(b + 100_000);
    // The views follow the grown memory.
    heap.f64()[(b >> 3) + 12_499] = 5;
    expect(heap.f64()[(b >> 3) + 12_499]).toBe(5);
    expect(heap.bytesInUse).toBe(16 + 100_000);
  });

  it('reuses freed space (first fit, coalescing) instead of growing', () => {
    const heap = freshHeap(0);
    const a = heap.alloc(1000);
    const b = heap.alloc(1000);
    const c = heap.alloc(1000);
    heap.free(a);
    heap.free(b); // a and b merge into one 2016-byte block
    expect(heap.alloc(2000)).toBe(a);
    heap.free(c);
    expect(() => heap.free(c)).toThrow(RangeError);
    expect(() => heap.free(12345)).toThrow(RangeError);
  });

  it('random alloc/free sequences never overlap, and freeing everything restores the empty heap', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 70_000 }), fc.nat()), { maxLength: 60 }),
        (ops) => {
          const heap = freshHeap(64);
          const live = new Map<number, number>();
          for (const [isAlloc, size, pick] of ops) {
            if (isAlloc || live.size === 0) {
              const p = heap.alloc(size);
              expect(p % 16).toBe(0);
              expect(p).toBeGreaterThanOrEqual(64);
              expect(p + size).toBeLessThanOrEqual(heap.bytesReserved);
              for (const [q, qs] of live) expect(p + size <= q || q + qs <= p).toBe(true);
              live.set(p, size);
            } else {
              const keys = [...live.keys()];
              const q = keys[pick % keys.length] as number;
              heap.free(q);
              live.delete(q);
            }
          }
          for (const q of live.keys()) heap.free(q);
          expect(heap.bytesInUse).toBe(0);
          // Everything merged back: the next allocation starts at the base again.
          expect(heap.alloc(16)).toBe(64);
        },
      ),
      { numRuns: 120, seed: 17 },
    );
  });

  it('repeated cycles of the same allocations do not grow the memory', () => {
    const heap = freshHeap(0);
    const cycle = () => {
      const ps = [heap.alloc(40_000), heap.alloc(123), heap.alloc(7_777), heap.alloc(65_536)];
      for (const p of [ps[2], ps[0], ps[3], ps[1]]) heap.free(p as number);
    };
    cycle();
    const reserved = heap.bytesReserved;
    for (let i = 0; i < 1000; i++) cycle();
    expect(heap.bytesReserved).toBe(reserved);
    expect(heap.bytesInUse).toBe(0);
  });
});
