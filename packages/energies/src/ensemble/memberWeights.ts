/**
 * Label-free member weighting for the ensemble: how much each member agrees with the others on the
 * training rows. Member i's agreement ρᵢ is the Spearman rank correlation of its training energies with
 * the leave-one-out consensus cᵢ = mean over j ≠ i of the other members' normalised training energies
 * (Rayana & Akoglu, "Less is More: Building Selective Anomaly Ensembles", ACM TKDD 2016; Schubert et al.,
 * "On Evaluation of Outlier Rankings and Outlier Scores", SDM 2012: trust members by their agreement with
 * a consensus of the members). No labels are used.
 * @module
 */

/** How member weights are formed from the agreements. */
export type EnsembleWeighting = 'equal' | 'consensus' | 'select';

/** Average ranks (1-based, ties share the mean of their ranks) of the values of `x`. */
export function averageRanks(x: Float64Array): Float64Array {
  const n = x.length;
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  idx.sort((a, b) => (x[a] as number) - (x[b] as number) || a - b);
  const r = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    const v = x[idx[i] as number] as number;
    while (j + 1 < n && x[idx[j + 1] as number] === v) j++;
    const rank = (i + j) / 2 + 1;
    for (let t = i; t <= j; t++) r[idx[t] as number] = rank;
    i = j + 1;
  }
  return r;
}

/** Pearson correlation of two equally long arrays; 0 when either is constant (or shorter than 2). */
export function pearson(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  if (n < 2 || b.length !== n) return 0;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i] as number;
    mb += b[i] as number;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = (a[i] as number) - ma;
    const db = (b[i] as number) - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  if (!(saa > 0) || !(sbb > 0)) return 0;
  const r = sab / Math.sqrt(saa * sbb);
  return Math.max(-1, Math.min(1, r));
}

/** Spearman rank correlation (Pearson on average ranks); 0 when either side is constant. */
export function spearman(a: Float64Array, b: Float64Array): number {
  return pearson(averageRanks(a), averageRanks(b));
}

/**
 * Each member's agreement with the others on the training rows: ρᵢ = Spearman correlation of
 * `raw[i]` (member i's training energies) with the mean over j ≠ i of `normalized[j]` (the others'
 * normalised training energies). With one member the agreement is 1.
 */
export function consensusAgreement(
  raw: readonly Float64Array[],
  normalized: readonly Float64Array[],
): Float64Array {
  const k = raw.length;
  const out = new Float64Array(k);
  if (k === 1) {
    out[0] = 1;
    return out;
  }
  const n = (normalized[0] as Float64Array).length;
  const total = new Float64Array(n);
  for (const z of normalized) for (let r = 0; r < n; r++) total[r] = (total[r] as number) + (z[r] as number);
  const others = new Float64Array(n);
  for (let i = 0; i < k; i++) {
    const z = normalized[i] as Float64Array;
    for (let r = 0; r < n; r++) others[r] = ((total[r] as number) - (z[r] as number)) / (k - 1);
    out[i] = spearman(raw[i] as Float64Array, others);
  }
  return out;
}

/**
 * Member weights (summing to 1) from the agreements: `equal` 1/k each; `consensus` ∝ max(0, ρᵢ) (equal
 * when no agreement is positive); `select` equal among the members with ρᵢ ≥ ½·max ρ (at least one), 0
 * for the rest.
 */
export function memberWeights(weighting: EnsembleWeighting, agreement: Float64Array): Float64Array {
  const k = agreement.length;
  const w = new Float64Array(k);
  if (weighting === 'consensus') {
    let s = 0;
    for (let i = 0; i < k; i++) {
      const v = Math.max(0, agreement[i] as number);
      w[i] = v;
      s += v;
    }
    if (s > 0) {
      for (let i = 0; i < k; i++) w[i] = (w[i] as number) / s;
      return w;
    }
  } else if (weighting === 'select') {
    let best = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < k; i++) best = Math.max(best, agreement[i] as number);
    const cut = best > 0 ? best / 2 : best;
    let kept = 0;
    for (let i = 0; i < k; i++) if ((agreement[i] as number) >= cut) kept++;
    for (let i = 0; i < k; i++) w[i] = (agreement[i] as number) >= cut ? 1 / kept : 0;
    return w;
  }
  w.fill(1 / k);
  return w;
}

/**
 * The trimmed mean of one row's normalised member energies: the largest and the smallest value are left
 * out and the rest averaged (with fewer than 3 members, the plain mean).
 */
export function trimmedMean(values: Float64Array): number {
  const k = values.length;
  let s = 0;
  if (k < 3) {
    for (let i = 0; i < k; i++) s += values[i] as number;
    return s / k;
  }
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < k; i++) {
    const v = values[i] as number;
    s += v;
    if (v < (values[lo] as number)) lo = i;
    if (v > (values[hi] as number)) hi = i;
  }
  return (s - (values[lo] as number) - (values[hi] as number)) / (k - 2);
}
