import { describe, expect, it } from 'vitest';
import { FeaturePipeline } from '../FeaturePipeline.js';

interface Job {
  readonly time: number;
  readonly repo: string;
  readonly secretNames: readonly string[] | string;
}

const job = (time: number, repo: string, secretNames: readonly string[] | string): Job => ({
  time,
  repo,
  secretNames,
});

const n = (x: number): number => Math.round(Math.expm1(x));

describe('newItems', () => {
  it('counts the items never seen before with the entity, continued across save and load', () => {
    const p = new FeaturePipeline<Job>({
      labels: { secretNames: 'secrets_passed' },
      blocks: [{ type: 'newItems', entity: 'repo', field: 'secretNames' }],
    });
    const X = p.fitTransform([
      job(0, 'infra', ['DEPLOY_TOKEN', 'AWS_ROLE_ARN']),
      job(10, 'infra', ['DEPLOY_TOKEN']),
      job(20, 'web', ['DEPLOY_TOKEN']), // new for this repository, whatever the others had
      job(30, 'infra', []),
      job(40, 'infra', 'TF_API_TOKEN'), // a string is one item
    ]);
    expect(Array.from(X.data).map(n)).toEqual([2, 0, 1, 0, 1]);
    expect(X.get(0, 0)).toBeCloseTo(Math.log(3), 12);
    const loaded = FeaturePipeline.fromJSON<Job>(JSON.parse(JSON.stringify(p.toJSON())));
    const later = [
      job(100, 'infra', ['DEPLOY_TOKEN', 'SIGNING_KEY', 'DB_PASSWORD', 'SIGNING_KEY', '']), // repeats count once
      job(110, 'infra', ['SIGNING_KEY']),
      job(120, 'docs', ['NPM_TOKEN']),
    ];
    expect(Array.from(p.transform(later).data).map(n)).toEqual([2, 0, 1]);
    expect(Array.from(loaded.transform(later).data).map(n)).toEqual([2, 0, 1]);
    expect(p.columns[0]).toMatchObject({
      name: 'repo→secrets_passed:new_items',
      kind: 'count',
      fields: ['repo', 'secrets_passed'],
    });
    const e = job(100, 'infra', ['DEPLOY_TOKEN', 'SIGNING_KEY', 'DB_PASSWORD', 'STRIPE_KEY']);
    expect(p.reason(0, e, Math.log1p(3))).toBe(
      '3 of the 4 secrets_passed (DEPLOY_TOKEN, SIGNING_KEY, DB_PASSWORD, …) never seen before for repo infra',
    );
    expect(p.reason(0, job(1, 'infra', ['A']))).toBe('secrets_passed (A) not all seen before for repo infra');
    expect(p.describe(e)).toEqual({
      repo: 'infra',
      secrets_passed: 'DEPLOY_TOKEN, SIGNING_KEY, DB_PASSWORD, STRIPE_KEY',
    });
  });

  it('with baseline, counts only once the entity has been seen that long (items are still remembered)', () => {
    const p = new FeaturePipeline<Job>({
      blocks: [{ type: 'newItems', entity: 'repo', field: 'secretNames', baseline: 100 }],
    });
    const X = p.fitTransform([
      job(0, 'infra', ['A']), // the repository is new: its first 100 s are its learning period
      job(50, 'infra', ['B']),
      job(100, 'infra', ['B', 'C']), // 100 s after its first event: C is new, B was learned
      job(120, 'web', ['A']),
    ]);
    expect(Array.from(X.data).map(n)).toEqual([0, 0, 1, 0]);
    expect(p.columns[0]?.name).toBe('repo→secretNames:new_items_baseline_100s');
    const loaded = FeaturePipeline.fromJSON<Job>(JSON.parse(JSON.stringify(p.toJSON())));
    const later = [job(200, 'web', ['A', 'D']), job(210, 'infra', ['E']), job(215, 'new', ['E'])];
    expect(Array.from(p.transform(later).data).map(n)).toEqual([0, 1, 0]);
    expect(Array.from(loaded.transform(later).data).map(n)).toEqual([0, 1, 0]);
    // infra·A, infra·B, infra·C, web·A, web·D, infra·E, new·E, and the three repositories' first times
    expect(p.stateStats().entities).toBe(7 + 3);
  });

  it('refuses bad specs and malformed saved state with a clear message', () => {
    expect(
      () => new FeaturePipeline<Job>({ blocks: [{ type: 'newItems', entity: 'repo', field: '' }] }),
    ).toThrow(/field must be a non-empty field name/);
    expect(
      () =>
        new FeaturePipeline<Job>({
          blocks: [{ type: 'newItems', entity: 'repo', field: 'secretNames', baseline: -1 }],
        }),
    ).toThrow(/baseline must be a positive number/);
    const p = new FeaturePipeline<Job>({
      blocks: [{ type: 'newItems', entity: 'repo', field: 'secretNames', baseline: 60 }],
    });
    p.fit([job(0, 'infra', ['A'])]);
    const json = JSON.parse(JSON.stringify(p.toJSON()));
    delete json.state.blocks[0].baselineFirst;
    expect(() => FeaturePipeline.fromJSON(json)).toThrow(
      /state\.blocks\[0\]: newItems baselineFirst must be an array of 1 finite numbers/,
    );
  });
});
