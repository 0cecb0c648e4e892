/**
 * The block factory: builds the block of a checked spec.
 *
 * @module
 */
import type { BlockSpec } from '../spec.js';
import type { Block, BlockContext } from './Block.js';
import { CyclicBlock } from './CyclicBlock.js';
import { DecayBlock } from './DecayBlock.js';
import { FailureRatioBlock } from './FailureRatioBlock.js';
import { FirstSeenBlock } from './FirstSeenBlock.js';
import { GapBlock } from './GapBlock.js';
import { HashBlock } from './HashBlock.js';
import { NewItemsBlock } from './NewItemsBlock.js';
import { NumericBlock } from './NumericBlock.js';
import { OneHotBlock } from './OneHotBlock.js';
import { PeersBlock } from './PeersBlock.js';
import { RarityBlock } from './RarityBlock.js';
import { StreamRarityBlock } from './StreamRarityBlock.js';
import { TemporalProfileBlock } from './TemporalProfileBlock.js';
import { WindowBlock } from './WindowBlock.js';

/**
 * Builds the block of a (checked) spec.
 *
 * @example
 * ```ts
 * const b = makeBlock(ctx, { type: 'hash', field: 'user', width: 8 });
 * ```
 */
export function makeBlock(ctx: BlockContext, s: BlockSpec): Block {
  switch (s.type) {
    case 'numeric':
      return new NumericBlock(ctx, s);
    case 'onehot':
      return new OneHotBlock(ctx, s);
    case 'hash':
      return new HashBlock(ctx, s);
    case 'cyclic':
      return new CyclicBlock(ctx, s);
    case 'firstSeen':
      return new FirstSeenBlock(ctx, s);
    case 'newItems':
      return new NewItemsBlock(ctx, s);
    case 'rarity':
      return s.stream === true ? new StreamRarityBlock(ctx, s) : new RarityBlock(ctx, s);
    case 'window':
      return new WindowBlock(ctx, s);
    case 'failureRatio':
      return new FailureRatioBlock(ctx, s);
    case 'gaps':
      return new GapBlock(ctx, s);
    case 'decay':
      return new DecayBlock(ctx, s);
    case 'temporalProfile':
      return new TemporalProfileBlock(ctx, s);
    case 'peers':
      return new PeersBlock(ctx, s);
  }
}
