import { describe, expect, it } from 'vitest';
import { Matrix } from '../matrix/Matrix.js';
import { Rng } from '../random/Rng.js';
import { normaliseWeights } from '../stats/normaliseWeights.js';
import { evaluateCoalitions, makePlayers } from './coalitions.js';

describe('evaluateCoalitions', () => {
  it('gives v(S) = Σ_b w_b f(x_S, b_S̄) and the same values when the batch is split into chunks', () => {
    const rng = new Rng(1);
    const d = 5;
    const bg = new Matrix(4, d);
    rng.fillNormal(bg.data);
    const x = rng.fillNormal(new Float64Array(d));
    const w = normaliseWeights('t', 4, [1, 2, 3, 4]);
    const players = makePlayers('t', d, [[0, 3], [1], [2, 4]]);
    const n = 8;
    const masks = new Uint8Array(n * 3);
    for (let m = 0; m < n; m++) for (let p = 0; p < 3; p++) masks[m * 3 + p] = (m >> p) & 1;
    let calls = 0;
    const f = (X: Matrix): Float64Array => {
      calls++;
      const e = new Float64Array(X.rows);
      for (let i = 0; i < X.rows; i++)
        e[i] = Math.sin(X.get(i, 0) * X.get(i, 1)) + X.get(i, 2) * X.get(i, 3) - X.get(i, 4) ** 2;
      return e;
    };
    const one = new Float64Array(n);
    const fx = evaluateCoalitions('t', f, x, bg, w, players, masks, n, one, true);
    expect(calls).toBe(1);
    expect(fx).toBeCloseTo(f(new Matrix(1, d, x.slice()))[0] as number, 12);
    // Coalition 5 = players {0, 2} = columns {0, 3, 2, 4} from x, column 1 from the background.
    let v5 = 0;
    for (let b = 0; b < 4; b++) {
      const row = x.slice();
      row[1] = bg.get(b, 1);
      v5 += (w[b] as number) * (f(new Matrix(1, d, row))[0] as number);
    }
    expect(one[5]).toBeCloseTo(v5, 12);
    calls = 0;
    const chunked = new Float64Array(n);
    const fx2 = evaluateCoalitions('t', f, x, bg, w, players, masks, n, chunked, true, 3 * 4 * d);
    expect(calls).toBe(3); // 8 coalitions, 3 per call
    expect(fx2).toBe(fx);
    expect(Array.from(chunked)).toEqual(Array.from(one));
  });
});
