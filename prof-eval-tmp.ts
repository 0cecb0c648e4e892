import { Rng } from './packages/core/src/random/Rng.js';
import { splitByClass } from './packages/core/src/eval/validate.js';
import { sortFloat64 } from './packages/core/src/eval/sortFloat64.js';
import { rocAuc } from './packages/core/src/eval/rocAuc.js';
const n = 1_000_000; const rng = new Rng(42);
const labels = new Uint8Array(n); const scores = new Float64Array(n);
for (let i = 0; i < n; i++) { const y = rng.uniform() < 0.1 ? 1 : 0; labels[i] = y; scores[i] = Math.round((rng.normal() + y) * 1000) / 1000; }
const t = (name: string, f: () => void) => { const ts: number[] = []; for (let r = 0; r < 7; r++) { const t0 = performance.now(); f(); ts.push(performance.now() - t0); } ts.sort((a, b) => a - b); console.log(name, ts[3]?.toFixed(1)); };
t('copy', () => { scores.slice(); });
t('native sort', () => { scores.slice().sort(); });
t('radix sort', () => { sortFloat64(scores.slice()); });
t('split+sort', () => { splitByClass(labels, scores, 'x', true); });
t('rocAuc', () => { rocAuc(labels, scores); });
