import { readFileSync } from 'node:fs';
import { ParseSession, parsers, FeaturePipeline } from './packages/features/src/index.js';
const lines = readFileSync('/work/shared/data/logs/lanl/auth_lanl_decoded_from_safekit.txt','utf8').split('\n').filter(Boolean);
const ev = new ParseSession(parsers.lanl()).parseLines(lines);
const spec = JSON.parse(process.argv[2]!);
for (let k=0;k<3;k++){
  const h = new FeaturePipeline({ blocks: spec, maxAgeSeconds: Number(process.argv[3] ?? 2592000) }); h.fit(ev); const row = new Float64Array(h.nFeatures);
  const t0=performance.now();
  for (let r=0;r<20;r++) for (const e of ev) h.transformOne({...e, time: e.time + r*259200}, row);
  if (k==2) console.log(process.argv[2], Math.round(20*ev.length/((performance.now()-t0)/1000)), h.stateStats());
}
