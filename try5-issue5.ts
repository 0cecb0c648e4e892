import { readFileSync } from 'node:fs';
import { ParseSession, parsers, EntityTable } from './packages/features/src/index.js';
const lines = readFileSync('/work/shared/data/logs/lanl/auth_lanl_decoded_from_safekit.txt','utf8').split('\n').filter(Boolean);
const ev = new ParseSession(parsers.lanl()).parseLines(lines);
for (let k=0;k<3;k++){
  const t = new EntityTable(100000, 30*86400);
  let t0=performance.now(); let c=0;
  for (let r=0;r<20;r++) for (const e of ev) { t.slot(e.user + '\u0001' + e.dstHost, e.time + r*259200); if (t.created) c++; }
  console.log('table', Math.round(20*ev.length/((performance.now()-t0)/1000)), c);
  const m = new Map<string, number>();
  t0=performance.now(); c=0;
  for (let r=0;r<20;r++) for (const e of ev) { const key = e.user + '\u0001' + e.dstHost; const s = m.get(key); if (s===undefined) {m.set(key, 1); c++;} }
  console.log('map', Math.round(20*ev.length/((performance.now()-t0)/1000)), c);
}
