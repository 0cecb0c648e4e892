import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attackWake, type WakeEvent } from './wake.js';

/** The definition read literally: every pair of events, O(n²). */
function brute(events: readonly WakeEvent[], window: number): number[] {
  return events.map((e) => {
    if (e.attack) return 0;
    return events.some(
      (a) =>
        a.attack &&
        e.time - a.time > 0 &&
        e.time - a.time <= window &&
        a.entities.some((v, f) => v === e.entities[f]),
    )
      ? 1
      : 0;
  });
}

describe('attackWake (property)', () => {
  it('equals the pairwise definition on small random streams, in any order', () => {
    const event = fc.record({
      time: fc.integer({ min: 0, max: 40 }),
      entities: fc.tuple(fc.constantFrom('a', 'b', 'c', ''), fc.constantFrom('a', 'x', 'y')),
      attack: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(event, { maxLength: 30 }), fc.integer({ min: 1, max: 20 }), (events, window) => {
        expect(Array.from(attackWake(events, window))).toEqual(brute(events, window));
      }),
      { numRuns: 200 },
    );
  });
});
