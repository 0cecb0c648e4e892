import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packModel, unpackModel } from './modelTransfer.js';

/** JSON-like trees with arrays of numbers of every length around the packing threshold (64). */
const numberArray = fc.array(fc.double(), { minLength: 0, maxLength: 140 });
const tree = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.oneof(fc.constant(null), fc.boolean(), fc.string(), fc.double()),
    numberArray,
    fc.array(tie('node'), { maxLength: 4 }),
    fc.dictionary(fc.string(), tie('node'), { maxKeys: 4 }),
  ),
})).node;

describe('packModel / unpackModel (property)', () => {
  it('give back the same tree, every number bit for bit, whatever its shape', () => {
    fc.assert(
      fc.property(tree, (t) => {
        const copy = structuredClone(t);
        const back = unpackModel(structuredClone(packModel(t)));
        expect(back).toEqual(copy);
      }),
      { numRuns: 150 },
    );
  });
});
