import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_BLOCKS_PER_WORKER, MIN_BLOCK_ROWS, scoringBlocks } from './scoringBlocks.js';

describe('scoringBlocks', () => {
  it('covers every row once, in a multiple of the workers of near-equal blocks when the batch allows', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3_000_000 }), fc.integer({ min: 1, max: 64 }), (rows, k) => {
        const { block, count } = scoringBlocks(rows, k);
        expect(block).toBeGreaterThanOrEqual(1);
        expect(count).toBe(Math.ceil(rows / block));
        // the blocks cover [0, rows): all but the last are full, the last holds the rest
        const last = rows - (count - 1) * block;
        expect(last).toBeGreaterThan(0);
        expect(last).toBeLessThanOrEqual(block);
        expect(count).toBeLessThanOrEqual(k * MAX_BLOCKS_PER_WORKER);
        if (rows >= k * MIN_BLOCK_ROWS) {
          expect(block).toBeGreaterThanOrEqual(MIN_BLOCK_ROWS);
          // equally fast workers claiming in turn get the same number of blocks, or one fewer only where
          // ceiling division left fewer rows than blocks planned; the busiest worker holds at most one
          // block more than an equal share
          const busiest = Math.ceil(count / k) * block;
          expect(busiest).toBeLessThanOrEqual(rows / k + block);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('splits 20,000 rows for 2 workers evenly (fixed 4,096-row blocks gave one worker 3 of 5)', () => {
    const { block, count } = scoringBlocks(20_000, 2);
    expect(count % 2).toBe(0);
    expect(count * block - 20_000).toBeLessThan(count);
    expect(Math.ceil(count / 2) * block).toBeLessThanOrEqual(10_000 + count / 2);
  });
});
