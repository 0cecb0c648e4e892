/**
 * `ebm worker` loads `@nexus/ebm-stream` lazily (an optional package), so `worker.ts` states the scorer types
 * it hands over instead of importing them; this compile-time check keeps the two statements equal.
 */
import type { ScoredEvent, Scorer } from '@nexus/ebm-stream';
import { describe, expectTypeOf, it } from 'vitest';
import type { StreamScore, StreamScorer } from './worker.js';

describe('ebm worker types', () => {
  it("equal the stream package's ScoredEvent and Scorer", () => {
    expectTypeOf<StreamScore>().toEqualTypeOf<ScoredEvent>();
    expectTypeOf<StreamScorer>().toEqualTypeOf<Scorer>();
  });
});
