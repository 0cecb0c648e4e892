import { Matrix, Rng } from '../packages/core/src/index.js';
import { RBM, Autoencoder } from '../packages/energies/src/index.js';
const which = process.argv[2];
const rng = new Rng(1);
const n = 20000, D = 64;
const X = new Matrix(n, D);
for (let i = 0; i < n * D; i++) X.data[i] = rng.uniform() < 0.4 ? 1 : 0;
const cpu = (fn: () => void): number => { const c = process.cpuUsage(); fn(); const e = process.cpuUsage(c); return (e.user + e.system) / 1e6; };
if (which === 'rbm') {
  const rbm = new RBM({ nHidden: 32, batchSize: 100, epochs: 5, momentum: 0, weightDecay: 0 });
  console.log('rbm train/cpu-s', Math.round(5 * n / cpu(() => rbm.fit(X))));
  console.log('rbm score/cpu-s', Math.round(5 * n / cpu(() => { for (let r = 0; r < 5; r++) rbm.energy(X); })));
} else {
  const ae = new Autoencoder({ hiddenSizes: [32, 8], activation: 'relu', batchSize: 256, epochs: 5, validationFraction: 0, standardize: false });
  console.log('ae train/cpu-s', Math.round(5 * n / cpu(() => ae.fit(X))));
  console.log('ae score/cpu-s', Math.round(5 * n / cpu(() => { for (let r = 0; r < 5; r++) ae.energy(X); })));
}
