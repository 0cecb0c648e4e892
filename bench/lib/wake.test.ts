import { authFeaturizer, cloudTrailFeaturizer } from '@nexus/ebm-features';
import { describe, expect, it } from 'vitest';
import { attackWake, stateKeyFields, type WakeEvent } from './wake.js';

/** [time, user, srcHost, dstHost, attack] */
type Row = readonly [number, string, string, string, boolean];
const ev = ([time, user, src, dst, attack]: Row): WakeEvent => ({ time, entities: [user, src, dst], attack });

describe('attackWake', () => {
  it('marks the normal events that an attack sharing an entity precedes by 0 < Δt ≤ W', () => {
    const W = 100;
    // given out of time order on purpose; the expected membership is written beside each event
    const rows: [Row, number][] = [
      [[250, 'V', 'H7', 'D9', false], 1], // Δt = 50 after the attack at 200 on D9
      [[0, 'A', 'H1', 'D1', true], 0], // an attack: not a normal event
      [[0, 'A', 'H5', 'D5', false], 0], // shares user A but at the same time (Δt = 0)
      [[100, 'B', 'H2', 'D1', false], 1], // shares dstHost D1, Δt = W exactly
      [[101, 'A', 'H1', 'D1', false], 0], // shares all three, Δt = W + 1
      [[50, 'C', 'H3', 'D3', false], 0], // entities of its own
      [[50, 'X', 'A', 'D4', false], 0], // value A in another field (srcHost) is another entity
      [[200, 'Z', 'H9', 'D9', true], 0],
      [[150, 'Y', 'H8', 'D9', false], 0], // the D9 attack comes later (Δt < 0)
      [[300, 'Q', 'H4', 'D6', true], 0],
      [[300, 'Q', 'H6', 'D7', false], 1], // tie with the attack at 300, but Q was attacked at 290
      [[290, 'Q', 'H0', 'D0', true], 0],
      [[420, 'R', 'H4', 'D8', false], 0], // H4's attack (300) is 120 s before
      [[399, 'S', 'H4', 'D8', false], 1], // … and 99 s before
    ];
    const wake = attackWake(
      rows.map(([r]) => ev(r)),
      W,
    );
    expect(Array.from(wake)).toEqual(rows.map(([, w]) => w));
  });

  it('a wider window takes in later events; no attack, no wake', () => {
    const events = [
      ev([0, 'A', 'H', 'D', true]),
      ev([3600, 'A', 'x', 'y', false]),
      ev([86400, 'A', 'x', 'y', false]),
    ];
    expect(Array.from(attackWake(events, 3600))).toEqual([0, 1, 0]);
    expect(Array.from(attackWake(events, 86400))).toEqual([0, 1, 1]);
    expect(Array.from(attackWake(events.slice(1), 86400))).toEqual([0, 0]);
    expect(attackWake([], 60).length).toBe(0);
  });

  it('rejects a bad window, a non-finite time and ragged entity lists', () => {
    const ok = ev([0, 'A', 'H', 'D', true]);
    expect(() => attackWake([ok], 0)).toThrow(
      /window must be a positive number of seconds \(expected > 0, got 0\)/,
    );
    expect(() => attackWake([ok], Number.NaN)).toThrow(/got NaN/);
    expect(() => attackWake([ok, { ...ok, time: Number.POSITIVE_INFINITY }], 1)).toThrow(
      /event 1 has no finite time/,
    );
    expect(() => attackWake([ok, { time: 1, entities: ['A'], attack: false }], 1)).toThrow(
      /event 1 has 1 entity values \(expected 3, as event 0\)/,
    );
  });
});

describe('stateKeyFields', () => {
  it('the auth preset keys its stream state by user, source host and destination host', () => {
    expect([...stateKeyFields(authFeaturizer().config)].sort()).toEqual(['dstHost', 'srcHost', 'user']);
  });

  it('counts stream rarity, not frozen rarity or peers', () => {
    expect(
      stateKeyFields({
        blocks: [
          { type: 'rarity', fields: ['a', 'b'] },
          { type: 'peers', fields: ['c', 'd'] },
          { type: 'hash', field: 'e' },
          { type: 'rarity', fields: ['f', 'g'], stream: true },
          { type: 'newItems', entity: 'h', field: 'i' },
          { type: 'decay', entity: 'f' },
        ],
      }),
    ).toEqual(['f', 'g', 'h']);
    // CloudTrail: the principal (windows, profile, …), its API calls, addresses and agents (first-seen
    // pairs), the source address (decay)
    expect([...stateKeyFields(cloudTrailFeaturizer().config)].sort()).toEqual([
      'eventName',
      'sourceIp',
      'user',
      'userAgent',
    ]);
  });
});
