import { ModelFormatError, ParameterError } from '@nexus/ebm-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FeaturePipeline } from '../FeaturePipeline.js';
import { defaultPeerGroups } from './PeersBlock.js';

interface Ev {
  time: number;
  user: string;
  host: string;
}

/** Two teams: a1…a4 use h1–h3, b1…b4 use h4–h6; each user skips one of the team's hosts. */
function teams(): Ev[] {
  const out: Ev[] = [];
  let t = 0;
  for (let round = 0; round < 5; round++) {
    for (const [team, hosts] of [
      ['a', ['h1', 'h2', 'h3']],
      ['b', ['h4', 'h5', 'h6']],
    ] as const) {
      for (let i = 1; i <= 4; i++) {
        hosts.forEach((h, j) => {
          if (j !== i % 3) out.push({ time: t++, user: `${team}${i}`, host: h });
        });
      }
    }
  }
  return out;
}

const peers = (groups?: number, prior?: number) =>
  new FeaturePipeline<Ev>({
    blocks: [
      {
        type: 'peers',
        fields: ['user', 'host'],
        ...(groups === undefined ? {} : { groups }),
        ...(prior === undefined ? {} : { prior }),
      },
    ],
    labels: { host: 'dst_computer' },
  });

describe('peers block', () => {
  it('rates a value by how many of the entity’s peers used it', () => {
    const p = peers(2);
    p.fit(teams());
    expect(p.featureNames).toEqual(['user→dst_computer:peer_rarity']);
    // a1 skips h2 (i % 3 = 1 → j = 1), which the other a-users use.
    const X = p.transform([
      { time: 100, user: 'a1', host: 'h2' }, // new for a1, used by its peers
      { time: 101, user: 'a1', host: 'h5' }, // used only by the other team
      { time: 102, user: 'a1', host: 'h9' }, // used by nobody
      { time: 103, user: 'zz', host: 'h5' }, // no peer group: the share of all users
    ]);
    const [peer, other, nobody, stranger] = [0, 1, 2, 3].map((i) => X.get(i, 0)) as [
      number,
      number,
      number,
      number,
    ];
    // 2 of the 4 peers (a2, a3) used h2: p = (2 + q)/(4 + 1) with q = (2 + 1)/(8 + 2); h5 too (b2, b3).
    expect(peer).toBeCloseTo(-Math.log((2 + 0.3) / 5), 12);
    expect(other).toBeCloseTo(-Math.log((0 + 0.3) / 5), 12);
    expect(nobody).toBeCloseTo(-Math.log((0 + 0.1) / 5), 12);
    expect(stranger).toBeCloseTo(-Math.log(0.3), 12);
    expect(peer).toBeLessThan(other);
    expect(other).toBeLessThan(nobody);
  });

  it('is frozen at fit, explains itself and saves its groups', () => {
    const p = peers(2);
    p.fit(teams());
    const e = { time: 200, user: 'a1', host: 'h5' };
    const before = p.transform([e]).get(0, 0);
    expect(p.transform([e]).get(0, 0)).toBe(before);
    expect(p.reason(0, e)).toBe(
      "dst_computer h5 is used by 0 of the 4 users in user a1's peer group (25 % of all users)",
    );
    expect(p.reason(0, { time: 1, user: 'new', host: 'h9' })).toBe(
      'dst_computer h9 is unusual for user new (no peer group; used by 0.00 % of all users)',
    );
    const loaded = FeaturePipeline.fromJSON<Ev>(JSON.parse(JSON.stringify(p.toJSON())));
    expect(loaded.transform([e]).get(0, 0)).toBe(before);
    expect(loaded.reason(0, e)).toBe(p.reason(0, e));
  });

  it('picks the number of groups by the rule of thumb and checks spec and state', () => {
    expect([1, 2, 8, 66, 200, 100000].map(defaultPeerGroups)).toEqual([1, 1, 2, 6, 10, 64]);
    expect(() => new FeaturePipeline({ blocks: [{ type: 'peers', fields: ['u'] as never }] })).toThrow(
      ParameterError,
    );
    expect(() => new FeaturePipeline({ blocks: [{ type: 'peers', fields: ['u', 'h'], groups: 0 }] })).toThrow(
      /groups must be an integer in \[1, 64\]/,
    );
    const p = peers();
    p.fit(teams());
    const json = JSON.parse(JSON.stringify(p.toJSON()));
    json.state.blocks[0].sizes[0] += 1;
    expect(() => FeaturePipeline.fromJSON(json)).toThrow(ModelFormatError);
    const json2 = JSON.parse(JSON.stringify(p.toJSON()));
    json2.state.blocks[0].group[0] = 99;
    expect(() => FeaturePipeline.fromJSON(json2)).toThrow(/peers group counts/);
  });

  it('with one group equals the brute-force smoothed share of all entities (property)', () => {
    const ev = fc.record({
      time: fc.integer({ min: 0, max: 1000 }),
      user: fc.constantFrom('a', 'b', 'c', 'd'),
      host: fc.constantFrom('x', 'y', 'z', 'w'),
    });
    fc.assert(
      fc.property(
        fc.array(ev, { minLength: 1, maxLength: 20 }),
        fc.array(ev, { maxLength: 10 }),
        fc.double({ min: 0.1, max: 5, noNaN: true }),
        (train, test, prior) => {
          const p = peers(1, prior);
          p.fit(train);
          const users = new Set(train.map((e) => e.user));
          const E = users.size;
          const X = p.transform(test);
          test.forEach((e, i) => {
            const U = new Set(train.filter((t) => t.host === e.host).map((t) => t.user)).size;
            const q = (U + 1) / (E + 2);
            const want = users.has(e.user) ? (U + prior * q) / (E + prior) : q;
            expect(X.get(i, 0)).toBeCloseTo(-Math.log(want), 10);
          });
        },
      ),
      { numRuns: 60 },
    );
  });
});
