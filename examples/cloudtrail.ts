/**
 * CloudTrail: rare API calls by a principal. Trains an autoencoder on normal CloudTrail records
 * (simulated) and lists the calls it finds most unusual, with reasons.
 *
 * Run: npx tsx examples/cloudtrail.ts
 */
import {
  formatCloudTrail,
  formatReasons,
  parseLines,
  parsers,
  rocAuc,
  sampleRows,
  simulate,
  trainPipeline,
} from '@nexus/ebm';

const sim = simulate({ seed: 11, users: 30, days: 8, trainDays: 5 });
const logs = formatCloudTrail(sim); // one JSON record per line
const cut = logs.times.findIndex((t) => t >= sim.testStart);
const train = parseLines(parsers.cloudtrail(), logs.lines.slice(0, cut)).events;
const test = parseLines(parsers.cloudtrail(), logs.lines.slice(cut)).events;

const pipeline = trainPipeline(train, { format: 'cloudtrail', model: 'autoencoder', seed: 11 });
const X = pipeline.featurize(test);
const { energy } = pipeline.scoreRows(X);
const labels = test.map((e) => (logs.labels[cut + e.line - 1] === null ? 0 : 1));
console.log(`${test.length} calls, ROC-AUC ${rocAuc(labels, energy).toFixed(3)}`);

const top = Array.from(energy.keys())
  .sort((a, b) => (energy[b] as number) - (energy[a] as number))
  .slice(0, 5);
const why = pipeline.explain(
  top.map((i) => test[i] as object),
  X.selectRows(top),
  { top: 2, background: sampleRows(X, 24, 1) },
);
top.forEach((i, r) => {
  const e = test[i];
  console.log(
    `${e?.user} ${e?.eventSource} ${e?.eventName}  energy ${(energy[i] as number).toFixed(2)}  ${formatReasons(why[r] ?? [])}`,
  );
});
