/**
 * The concentration steps behind every `trim` option (the Gaussian's and the kernel density's): refit on
 * the rows of lowest energy until that set repeats.
 *
 * @module
 */

/**
 * The rows a fit with `trim` keeps, ⌈(1 − trim)·n⌉, or null when trimming does not apply (trim 0, or fewer
 * than 2 rows kept, or none left out).
 *
 * @example
 * ```ts
 * trimmedRowCount(330, 0.25); // 248
 * ```
 */
export function trimmedRowCount(n: number, trim: number): number | null {
  const h = Math.ceil((1 - trim) * n);
  return trim > 0 && h < n && h >= 2 ? h : null;
}

/**
 * Concentration steps started from `state` (the fit on all rows): score the training rows, refit on the `h`
 * of lowest energy (ties to the lower row index), and repeat until the kept rows repeat or `steps` refits
 * have run. `energiesOf` gets the rows the state was fitted on (`null`: every row), for energies that
 * leave a training row out; `onStep` hears each refit (1-based).
 *
 * @example
 * ```ts
 * state = concentrationSteps(state, h, 10, (s) => energy(X, s), (kept) => fit(X.selectRows(kept)), () => {});
 * ```
 */
export function concentrationSteps<S>(
  state: S,
  h: number,
  steps: number,
  energiesOf: (state: S, inFit: Int32Array | null) => Float64Array,
  refit: (kept: Int32Array) => S,
  onStep: (step: number, state: S) => void,
): S {
  let inFit: Int32Array | null = null;
  for (let step = 0; step < steps; step++) {
    const kept = lowestRows(energiesOf(state, inFit), h);
    if (inFit !== null && sameRows(inFit, kept)) break;
    inFit = kept;
    state = refit(kept);
    onStep(step + 1, state);
  }
  return state;
}

/** Indices (ascending) of the `h` smallest energies; ties go to the lower row index. */
function lowestRows(energy: Float64Array, h: number): Int32Array {
  const order = Array.from({ length: energy.length }, (_, i) => i);
  order.sort((a, b) => (energy[a] as number) - (energy[b] as number) || a - b);
  return Int32Array.from(order.slice(0, h)).sort();
}

function sameRows(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
