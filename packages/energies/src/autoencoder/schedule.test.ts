import { Rng } from '@nexus/ebm-core';
import { describe, expect, it } from 'vitest';
import { AUTOENCODER_PARAMS } from './autoencoderParams.js';
import { aeLayout } from './kernels.js';
import { AeSchedule, autoEpochs, EarlyStopping, planAutoencoder } from './schedule.js';

const params = AUTOENCODER_PARAMS.resolve({ inputNoise: 0.5, dropout: 0.25, batchSize: 8 });

describe('AeSchedule', () => {
  const n = 30;
  const d = 3;
  const plan = planAutoencoder(params, n, d);
  const layout = aeLayout(plan.sizes, params.activation, params.outputActivation, params.leakySlope);

  it('splits the rows into validation and training rows, each row once', () => {
    expect(plan).toMatchObject({ nVal: 3, nTrain: 27, batch: 8 });
    const s = new AeSchedule(params, plan, layout, new Rng(1));
    const all = [...s.valIdx, ...s.trainIdx].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: n }, (_, i) => i));
    const before = [...s.trainIdx].sort((a, b) => a - b);
    s.startEpoch();
    expect([...s.trainIdx].sort((a, b) => a - b)).toEqual(before);
  });

  it('draws the split, the weights, the shuffle, then per minibatch the noise and the masks, in that order', () => {
    const rng = new Rng(5);
    const s = new AeSchedule(params, plan, layout, rng);
    const data = Float32Array.from({ length: n * d }, (_, i) => i / 10);
    const noisy = new Float32Array(plan.batch * d);
    const hidden = layout.sizes[1] as number;
    const mask = new Float32Array(plan.batch * hidden);
    s.startEpoch();
    s.drawBatch(data, d, 0, 4, noisy, mask, [0]);
    // replay the same generator by hand
    const again = new Rng(5);
    const perm = again.permutation(n);
    const weights = new Float32Array(layout.nParams);
    for (let l = 0; l < layout.sizes.length - 1; l++) {
      const fanIn = layout.sizes[l] as number;
      const fanOut = layout.sizes[l + 1] as number;
      const o = layout.wOff[l] as number;
      const a = Math.sqrt(6 / (fanIn + fanOut));
      again.fillUniform(weights.subarray(o, o + fanIn * fanOut), -a, a);
    }
    expect(s.params).toEqual(weights);
    const order = perm.slice(plan.nVal);
    again.shuffle(order);
    expect(s.trainIdx).toEqual(order);
    for (let k = 0; k < 4 * d; k++) {
      const row = order[Math.floor(k / d)] as number;
      expect(noisy[k]).toBe(Math.fround((data[row * d + (k % d)] as number) + 0.5 * again.normal()));
    }
    for (let k = 0; k < 4 * hidden; k++)
      expect(mask[k]).toBe(again.uniform() < 0.75 ? Math.fround(1 / 0.75) : 0);
  });
});

describe('EarlyStopping', () => {
  it('keeps the best weights and stops after patience epochs without improvement', () => {
    const stop = new EarlyStopping({ patience: 2, minDelta: 0.1, restoreBest: true });
    const w = new Float32Array([1]);
    expect(stop.update(1, w)).toBe(false);
    w[0] = 2;
    expect(stop.update(0.95, w)).toBe(false); // not better by more than minDelta
    expect(stop.update(0.92, w)).toBe(true);
    stop.restore(w);
    expect(w[0]).toBe(1);
  });
});

describe('autoEpochs', () => {
  it('aims at 50,000 row visits, between 10 and 30 epochs', () => {
    expect([1, 100, 1666, 1724, 2000, 3000, 4545, 5000, 20_000, 1e6].map(autoEpochs)).toEqual([
      30, 30, 30, 29, 25, 17, 11, 10, 10, 10,
    ]);
    expect(planAutoencoder(AUTOENCODER_PARAMS.resolve({}), 2000, 4).epochs).toBe(25);
    expect(planAutoencoder(AUTOENCODER_PARAMS.resolve({ epochs: 3 }), 2000, 4).epochs).toBe(3);
  });
});
