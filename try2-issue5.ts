import { readFileSync } from 'node:fs';
import { ParseSession, parsers, authFeaturizer } from './packages/features/src/index.js';
const lines = readFileSync('/work/shared/data/logs/lanl/auth_lanl_decoded_from_safekit.txt','utf8').split('\n').filter(Boolean);
const ev = new ParseSession(parsers.lanl()).parseLines(lines);
const reps = 10; const big: string[] = []; for (let r=0;r<reps;r++) for (const l of lines) { const c=l.indexOf(','); big.push((Number(l.slice(0,c))+r*259200)+l.slice(c)); }
const h = authFeaturizer(); h.fit(ev); const row = new Float64Array(h.nFeatures);
const s = new ParseSession(parsers.lanl()); const out: any[] = [];
const t0=performance.now();
for (let i=0;i<big.length;i+=10000) { out.length=0; s.parseLines(big.slice(i,i+10000), out); for (const e of out) h.transformOne(e,row); }
console.log('lines/s', big.length/((performance.now()-t0)/1000));
