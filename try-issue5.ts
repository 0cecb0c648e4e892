import { readFileSync } from 'node:fs';
import { ParseSession, parsers, authFeaturizer, FeaturePipeline } from './packages/features/src/index.js';
const lines = readFileSync('/work/shared/data/logs/lanl/auth_lanl_decoded_from_safekit.txt','utf8').split('\n').filter(Boolean);
const ev = new ParseSession(parsers.lanl()).parseLines(lines);
const f = authFeaturizer();
const X = f.fitTransform(ev.slice(0, 10000));
console.log(X.rows, X.cols, f.featureNames.join(' | '));
const Y = f.transform(ev.slice(10000));
let bad=0, mx=0; for (const v of Y.data) { if(!Number.isFinite(v)) bad++; mx=Math.max(mx,Math.abs(v)); }
console.log('bad', bad, 'max', mx, f.stateStats());
const means = new Float64Array(Y.cols); for (let i=0;i<Y.rows;i++) for (let j=0;j<Y.cols;j++) means[j]+=Y.get(i,j)/Y.rows;
console.log(f.featureNames.map((n,j)=>n+'='+means[j].toFixed(3)).join('\n'));
const e = ev[12000]!; console.log(f.describe(e)); console.log(f.featureNames.map((_, j)=>f.reason(j,e)).filter((x,i,a)=>a.indexOf(x)===i).join('\n'));
const json = JSON.stringify(f.toJSON()); console.log('json bytes', json.length);
const g = FeaturePipeline.fromJSON(JSON.parse(json));
const f2 = authFeaturizer(); f2.fit(ev.slice(0,10000));
const A = g.transform(ev.slice(10000)), B = f2.transform(ev.slice(10000));
let diff=0; for (let i=0;i<A.data.length;i++) diff=Math.max(diff,Math.abs(A.data[i]!-B.data[i]!)); console.log('roundtrip diff', diff);
// speed
const reps = 20; const big: string[] = []; for (let r=0;r<reps;r++) for (const l of lines) { const c=l.indexOf(','); big.push((Number(l.slice(0,c))+r*259200)+l.slice(c)); }
const t0=performance.now(); const s = new ParseSession(parsers.lanl()); const out: any[] = []; 
const h = authFeaturizer(); h.fit(ev); const row = new Float64Array(h.nFeatures);
let t1 = 0;
for (let i=0;i<big.length;i+=10000) { out.length=0; s.parseLines(big.slice(i,i+10000), out); const ta=performance.now(); for (const e of out) h.transformOne(e,row); t1+=performance.now()-ta; }
const dt=performance.now()-t0; console.log('lines/s', big.length/(dt/1000), 'featurize share', t1/dt);
