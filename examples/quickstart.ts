// Quickstart: learn "normal" from unlabelled rows, then flag what does not fit. Run: npx tsx examples/quickstart.ts
import { Detector, GaussianDensity, Rng } from '@nexus/ebm';

const rng = new Rng(1);
const normal = Array.from({ length: 500 }, () => [rng.normal(), rng.normal() * 2]);
const detector = new Detector({ model: new GaussianDensity(), falseAlarmRate: 0.01 }).fit(normal, {
  seed: 1,
});
console.log(
  detector.score([
    [0.1, -0.5],
    [6, 9],
  ]),
  detector.predict([
    [0.1, -0.5],
    [6, 9],
  ]),
);
