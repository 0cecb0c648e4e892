import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { packModel, unpackModel } from './modelTransfer.js';

/** What a worker receives: the packed model after a real structured clone. */
async function throughPort<T>(value: T): Promise<T> {
  const { port1, port2 } = new MessageChannel();
  const got = new Promise<T>((resolve) => port2.once('message', (m: T) => resolve(m)));
  port1.postMessage(value);
  const out = await got;
  port1.close();
  return out;
}

const ramp = (n: number, f: (i: number) => number): number[] => Array.from({ length: n }, (_, i) => f(i));

describe('packModel / unpackModel', () => {
  const json = {
    kind: 'k',
    version: 1,
    config: { hiddenSizes: [16, 4, 16], name: 'x' },
    state: {
      nFeatures: 70,
      mean: ramp(70, (i) => Math.sin(i) * 1e-300),
      nested: [ramp(64, (i) => (i === 3 ? -0 : i / 7)), ramp(63, (i) => i), ['a', 1, null]],
      weird: ramp(100, (i) => (i === 50 ? Number.MAX_VALUE : 5e-324 * i)),
    },
  };

  it('restores every number bit for bit (−0, subnormals, extremes), after a structured clone', async () => {
    const packed = packModel(json);
    expect(packed.numbers?.byteLength).toBe((70 + 64 + 100) * 8); // the 63- and 3-element arrays stay inline
    const back = unpackModel(await throughPort(packed)) as typeof json;
    expect(back).toEqual(json);
    expect(Object.is(back.state.nested[0]?.[3], -0)).toBe(true);
    expect(Array.isArray(back.state.mean)).toBe(true);
  });

  it('does not modify its input and leaves a tree without long number arrays as it is', () => {
    const copy = structuredClone(json);
    packModel(json);
    expect(json).toEqual(copy);
    const small = { kind: 'k', version: 1, config: {}, state: { a: [1, 2, 3] } };
    expect(packModel(small)).toEqual({ tree: small, numbers: null });
  });

  it('leaves forbidden keys and non-plain values for the loader to reject', async () => {
    const hostile = JSON.parse(`{"state":{"__proto__":${JSON.stringify(ramp(80, (i) => i))}}}`) as object;
    const back = unpackModel(await throughPort(packModel(hostile))) as Record<string, unknown>;
    const state = back.state as object;
    expect(Object.keys(state)).toEqual(['__proto__']); // still an own key, as JSON.parse left it
    expect(Object.getPrototypeOf(state)).toBe(Object.prototype);
    const typed = { state: { x: new Float32Array(100) } };
    expect(unpackModel(packModel(typed))).toEqual(typed);
  });

  it('keeps user typed arrays on a shared buffer apart from the packed ones', async () => {
    const own = new Float64Array(new SharedArrayBuffer(800));
    own[0] = 1;
    const back = unpackModel(await throughPort(packModel({ a: own, b: ramp(64, (i) => i) }))) as Record<
      string,
      unknown
    >;
    expect(back.a).toBeInstanceOf(Float64Array);
    expect(back.b).toEqual(ramp(64, (i) => i));
  });
});
