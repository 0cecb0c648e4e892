/**
 * An authentication-log hunt in the LANL format: simulate an enterprise (simulated data, with labelled
 * red-team scenarios), train on the first days, score the rest, and explain the ten most anomalous logons.
 *
 * Run: npx tsx examples/lanl-hunt.ts
 */
import {
  formatLanl,
  formatReasons,
  parseLines,
  parsers,
  precisionAtK,
  rocAuc,
  sampleRows,
  simulate,
  trainPipeline,
} from '@nexus/ebm';

const sim = simulate({ seed: 7, users: 30, days: 8, trainDays: 5 });
const logs = formatLanl(sim); // LANL lines: time,src_user@dom,dst_user@dom,src,dst,auth,logon,orientation,outcome
const cut = logs.times.findIndex((t) => t >= sim.testStart);
const train = parseLines(parsers.lanl(), logs.lines.slice(0, cut)).events;
const test = parseLines(parsers.lanl(), logs.lines.slice(cut)).events;

// The ready-made authentication featurizer + a robust scaler + a Gaussian energy + a 1 % false-alarm threshold.
const pipeline = trainPipeline(train, { format: 'lanl', model: 'gaussian', seed: 7 });
const X = pipeline.featurize(test);
const { energy, flag } = pipeline.scoreRows(X);
const labels = logs.labels.slice(cut).map((l) => (l === null ? 0 : 1));

console.log(`${test.length} test logons, ${flag.reduce((a, b) => a + b, 0)} flagged`);
console.log(
  `ROC-AUC ${rocAuc(labels, energy).toFixed(3)}, precision at 50 ${precisionAtK(labels, energy, 50).toFixed(2)}`,
);

const top = Array.from(energy.keys())
  .sort((a, b) => (energy[b] as number) - (energy[a] as number))
  .slice(0, 10);
const why = pipeline.explain(
  top.map((i) => test[i] as object),
  X.selectRows(top),
  { top: 3, background: sampleRows(X, 32, 1) },
);
top.forEach((i, r) => {
  console.log(`${logs.lines[cut + i]}  [${logs.labels[cut + i] ?? 'normal'}]`);
  console.log(`   ${formatReasons(why[r] ?? [])}`);
});
if (rocAuc(labels, energy) < 0.9) throw new Error('lanl-hunt: detection is unexpectedly poor');
