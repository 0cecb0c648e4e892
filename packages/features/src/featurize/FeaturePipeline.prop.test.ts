import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AuthEvent } from '../parse/events.js';
import { FeaturePipeline } from './FeaturePipeline.js';
import { authFeaturizer } from './presets.js';

const name = fc.constantFrom('', 'U1', 'U2', 'C1', 'C2', 'C3', '?', 'ünï', '__proto__', 'a'.repeat(40));
const authEvent: fc.Arbitrary<AuthEvent> = fc.record({
  format: fc.constant('lanl' as const),
  line: fc.nat(),
  time: fc.oneof(fc.double({ min: -1e10, max: 1e10, noNaN: true }), fc.integer({ min: 0, max: 1e6 })),
  user: name,
  srcUser: name,
  srcHost: name,
  dstHost: name,
  authType: name,
  logonType: name,
  action: name,
  success: fc.boolean(),
});

describe('authFeaturizer on random events', () => {
  it('gives finite, bounded features; batch equals stream; save and load give the same rows', () => {
    fc.assert(
      fc.property(
        fc.array(authEvent, { minLength: 1, maxLength: 25 }),
        fc.array(authEvent, { maxLength: 25 }),
        fc.integer(),
        (train, test, seed) => {
          const f = authFeaturizer({ seed, maxEntities: 8 });
          const Xtr = f.fitTransform(train);
          const loaded = FeaturePipeline.fromJSON<AuthEvent>(JSON.parse(JSON.stringify(f.toJSON())));
          const X = f.transform(test);
          expect(X.cols).toBe(f.nFeatures);
          for (const v of Xtr.data) expect(Number.isFinite(v) && Math.abs(v) < 1e3).toBe(true);
          for (const v of X.data) expect(Number.isFinite(v) && Math.abs(v) < 1e3).toBe(true);
          const order = test
            .map((_, i) => i)
            .sort((a, b) => (test[a] as AuthEvent).time - (test[b] as AuthEvent).time || a - b);
          for (const i of order) {
            expect(Array.from(loaded.transformOne(test[i] as AuthEvent))).toEqual(Array.from(X.row(i)));
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
