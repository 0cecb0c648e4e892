import { readFileSync } from 'node:fs';
import { ParseSession, parsers } from './packages/features/src/index.js';
const lines = readFileSync('/work/shared/data/logs/lanl/auth_lanl_decoded_from_safekit.txt','utf8').split('\n').filter(Boolean);
const reps = 40; const big: string[] = []; for (let r=0;r<reps;r++) for (const l of lines) { const c=l.indexOf(','); big.push((Number(l.slice(0,c))+r*259200)+l.slice(c)); }
for (let k=0;k<3;k++){
const s = new ParseSession(parsers.lanl()); const out: any[] = [];
let t0=performance.now();
for (let i=0;i<big.length;i+=10000) { out.length=0; s.parseLines(big.slice(i,i+10000), out); }
console.log('parse lines/s', Math.round(big.length/((performance.now()-t0)/1000)));
const m = new Map<string, number>(); let x=0;
t0=performance.now();
for (let i=0;i<big.length;i+=10000) { out.length=0; s.parseLines(big.slice(i,i+10000), out); for (const e of out) { const k = e.user + '\u0001' + e.dstHost; const v = m.get(k); if (v===undefined) m.set(k, 1); else x++; } }
console.log('parse+map lines/s', Math.round(big.length/((performance.now()-t0)/1000)));
}
