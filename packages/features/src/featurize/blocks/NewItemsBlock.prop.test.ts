import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FeaturePipeline } from '../FeaturePipeline.js';

interface Job {
  readonly time: number;
  readonly repo: string;
  readonly secretNames: readonly string[];
}

const job: fc.Arbitrary<Job> = fc.record({
  time: fc.integer({ min: 0, max: 5000 }),
  repo: fc.constantFrom('r1', 'r2', 'r3', ''),
  secretNames: fc.array(fc.constantFrom('A', 'B', 'C', 'D', '', 'ü'), { maxLength: 5 }),
});

describe('newItems on random jobs', () => {
  it('equals a brute-force count of first-seen (repo, item) pairs; chunks, save and load continue it', () => {
    fc.assert(
      fc.property(
        fc.array(job, { minLength: 1, maxLength: 25 }),
        fc.array(job, { maxLength: 25 }),
        fc.nat({ max: 25 }),
        fc.option(fc.integer({ min: 1, max: 3000 }), { nil: undefined }),
        (a, b, cut, baseline) => {
          const byTime = (xs: Job[]): Job[] => xs.slice().sort((x, y) => x.time - y.time);
          const train = byTime(a);
          const test = byTime(b).map((e) => ({ ...e, time: e.time + 5000 }));
          const p = new FeaturePipeline<Job>({
            blocks: [
              {
                type: 'newItems',
                entity: 'repo',
                field: 'secretNames',
                ...(baseline === undefined ? {} : { baseline }),
              },
            ],
          });
          const Xtr = p.fitTransform(train);
          const loaded = FeaturePipeline.fromJSON<Job>(JSON.parse(JSON.stringify(p.toJSON())));
          const X = p.transform(test);
          // Brute force: every (repo, item) pair and every repository's first time, in order.
          const pairs = new Set<string>();
          const repoFirst = new Map<string, number>();
          const want = [...train, ...test].map((e) => {
            if (!repoFirst.has(e.repo)) repoFirst.set(e.repo, e.time);
            let n = 0;
            for (const s of e.secretNames) {
              const k = `${e.repo}|${s}`;
              if (s === '' || pairs.has(k)) continue;
              pairs.add(k);
              n++;
            }
            const known = baseline === undefined || e.time - (repoFirst.get(e.repo) as number) >= baseline;
            return known ? Math.log1p(n) : 0;
          });
          expect([...Array.from(Xtr.data), ...Array.from(X.data)]).toEqual(want);
          // The test events in two chunks, after a save and load: the same rows.
          const k = Math.min(cut, test.length);
          const chunked = [
            ...Array.from(loaded.transform(test.slice(0, k)).data),
            ...Array.from(loaded.transform(test.slice(k)).data),
          ];
          expect(chunked).toEqual(Array.from(X.data));
        },
      ),
      { numRuns: 80 },
    );
  });
});
