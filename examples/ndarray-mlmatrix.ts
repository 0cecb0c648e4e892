/**
 * Inputs from other libraries: ndarray and ml-matrix objects are accepted wherever a matrix is, without
 * copying them by hand.
 *
 * Run: npx tsx examples/ndarray-mlmatrix.ts
 */
import { GaussianMixture, Rng, toMatrix } from '@nexus/ebm';
import { Matrix as MlMatrix } from 'ml-matrix';
import ndarray from 'ndarray';

const rng = new Rng(2);
const rows = 300;
const flat = new Float64Array(rows * 2);
for (let i = 0; i < rows; i++) {
  flat[2 * i] = (i % 2 === 0 ? -3 : 3) + rng.normal();
  flat[2 * i + 1] = rng.normal();
}

const nd = ndarray(flat, [rows, 2]);
const model = new GaussianMixture({ nComponents: 2, seed: 2 }).fit(nd);
const ml = new MlMatrix([
  [-3, 0],
  [3, 0.2],
  [0, 0],
  [10, 10],
]);
const e = model.energy(ml);
console.log('energies from an ml-matrix input:', Array.from(e, (v) => v.toFixed(2)).join(', '));
console.log('toMatrix(ndarray) shape:', toMatrix(nd).rows, 'x', toMatrix(nd).cols);
if (!((e[3] as number) > (e[2] as number) && (e[2] as number) > (e[0] as number))) {
  throw new Error('ndarray-mlmatrix: energies are not ordered as expected');
}
