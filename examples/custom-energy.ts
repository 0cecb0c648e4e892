/**
 * A custom energy plugged into the library: distance to the nearest of k training centroids. Because it
 * extends BaseEnergyModel and registers its kind, it works with the Detector (threshold, p-values),
 * evaluation, saving/loading and KernelSHAP explanations like the built-in energies.
 *
 * Run: npx tsx examples/custom-energy.ts
 */
import {
  averagePrecision,
  BaseEnergyModel,
  Detector,
  explain,
  type FitContext,
  kMeans,
  type Matrix,
  type ModelJSON,
  Rng,
  registerModel,
  rocAuc,
  thresholdForFpr,
} from '@nexus/ebm';
import { readNumberMatrix } from '@nexus/ebm/extend';

class NearestCentroid extends BaseEnergyModel<Matrix> {
  readonly kind = 'nearest-centroid';
  readonly formatVersion = 1;
  constructor(
    readonly k = 3,
    seed?: number,
  ) {
    super(seed);
  }
  protected fitImpl(X: Matrix, ctx: FitContext): Matrix {
    return kMeans(X, this.k, { seed: ctx.seed }).centres;
  }
  protected energyImpl(X: Matrix, c: Matrix): Float64Array {
    const out = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++) {
      let best = Number.POSITIVE_INFINITY;
      for (let j = 0; j < c.rows; j++) {
        let d = 0;
        for (let f = 0; f < X.cols; f++) d += (X.get(i, f) - c.get(j, f)) ** 2;
        best = Math.min(best, d);
      }
      out[i] = best;
    }
    return out;
  }
  protected configToJSON(): Record<string, unknown> {
    return { k: this.k };
  }
  protected stateToJSON(c: Matrix): Record<string, unknown> {
    return { centroids: c.toArray() };
  }
  static fromJSON(json: ModelJSON): NearestCentroid {
    const k = (json.config as { k: number }).k;
    return new NearestCentroid(k).restore(json, 'NearestCentroid.fromJSON', (s, d) =>
      readNumberMatrix(s, 'centroids', k, d, 'NearestCentroid.fromJSON'),
    );
  }
}
registerModel('nearest-centroid', (json) => NearestCentroid.fromJSON(json));

// Three normal clusters and a few points between them.
const rng = new Rng(5);
const centers = [
  [0, 0, 0],
  [5, 5, 0],
  [0, 5, 5],
];
const row = (c: number[], s: number) => c.map((v) => v + s * rng.normal());
const train = Array.from({ length: 600 }, (_, i) => row(centers[i % 3] as number[], 0.5));
const test = [
  ...Array.from({ length: 200 }, (_, i) => row(centers[i % 3] as number[], 0.5)),
  ...Array.from({ length: 10 }, () => row([2.5, 2.5, 2.5], 0.3)),
];
const labels = test.map((_, i) => (i >= 200 ? 1 : 0));

const detector = new Detector({ model: new NearestCentroid(3), falseAlarmRate: 0.02 }).fit(train, {
  seed: 5,
});
const energy = detector.score(test);
console.log(
  `ROC-AUC ${rocAuc(labels, energy).toFixed(3)}  AP ${averagePrecision(labels, energy).toFixed(3)}`,
);
console.log(
  `flagged ${detector.predict(test).reduce((a, b) => a + b, 0)} of ${test.length}; threshold for 1 % FPR on normal rows: ${thresholdForFpr(energy.subarray(0, 200), 0.01).toFixed(2)}`,
);

// Save and load through the registry, then explain one anomaly with KernelSHAP.
const again = Detector.fromJSON(JSON.stringify(detector.toJSON()));
const shap = explain(again.model, [test[205] as number[]], { background: train.slice(0, 50), seed: 1 });
console.log(
  `explanation (${shap.method}): ${Array.from(shap.attributions.row(0), (v) => v.toFixed(2)).join(', ')}`,
);
if (rocAuc(labels, energy) < 0.95) throw new Error('custom-energy: unexpected result');
