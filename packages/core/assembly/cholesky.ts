// Cholesky factorisation, triangular inverse and triangular solves in double precision with f64x2. Same
// algorithms, argument order and conventions as the TypeScript kernels in src/kernels/ (cholesky.ts,
// invertLower.ts, solveLower.ts, solveLowerTransposed.ts); matrices are n×n row-major at byte pointers.
import { gemm } from './gemm';

/** Σ_{k<len} x_k·y_k over two contiguous f64 runs, two f64x2 accumulators. */
@inline
function dotF64(x: usize, y: usize, len: i32): f64 {
  let s0 = f64x2.splat(0);
  let s1 = f64x2.splat(0);
  let k = 0;
  for (; k + 3 < len; k += 4) {
    const o = <usize>k << 3;
    s0 = f64x2.add(s0, f64x2.mul(v128.load(x + o), v128.load(y + o)));
    s1 = f64x2.add(s1, f64x2.mul(v128.load(x + o, 16), v128.load(y + o, 16)));
  }
  const s = f64x2.add(s0, s1);
  let t = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  for (; k < len; k++) t += load<f64>(x + (<usize>k << 3)) * load<f64>(y + (<usize>k << 3));
  return t;
}

/** Columns per block: the panel is factorised column by column, everything else by the GEMM. */
const NB: i32 = 64;

/**
 * A + jitter·I = L·Lᵀ, reading the lower triangle of `a` and writing L (strict upper triangle zeroed) to
 * `l`, which may equal `a`. Returns −1 on success or the index of the first pivot that is not positive
 * or not finite. Blocked and left-looking, as the TypeScript kernel: each block column is updated by one
 * GEMM with all the columns before it, then factorised column by column.
 */
export function cholesky(a: usize, n: i32, l: usize, jitter: f64): i32 {
  const rowBytes = <usize>n << 3;
  if (l != a) for (let i = 0; i < n; i++) memory.copy(l + <usize>i * rowBytes, a + <usize>i * rowBytes, <usize>(i + 1) << 3);
  for (let j0 = 0; j0 < n; j0 += NB) {
    const j1 = min(n, j0 + NB);
    const panel = l + <usize>j0 * rowBytes;
    if (j0 > 0) gemm<f64>(false, true, n - j0, j1 - j0, j0, -1, panel, n, panel, n, 1, panel + (<usize>j0 << 3), n);
    const o = <usize>j0 << 3;
    for (let j = j0; j < j1; j++) {
      const rj = l + <usize>j * rowBytes;
      const d = load<f64>(rj + (<usize>j << 3)) + jitter - dotF64(rj + o, rj + o, j - j0);
      if (!(d > 0) || d == Infinity) return j;
      const ljj = Math.sqrt(d);
      const inv = 1 / ljj;
      for (let i = j + 1; i < n; i++) {
        const ri = l + <usize>i * rowBytes;
        const s = load<f64>(ri + (<usize>j << 3)) - dotF64(ri + o, rj + o, j - j0);
        store<f64>(ri + (<usize>j << 3), s * inv);
      }
      store<f64>(rj + (<usize>j << 3), ljj);
    }
  }
  for (let i = 0; i < n; i++) {
    const start = l + <usize>i * rowBytes + (<usize>(i + 1) << 3);
    memory.fill(start, 0, <usize>(n - i - 1) << 3);
  }
  return -1;
}

/**
 * W = L⁻¹ for the lower-triangular L at `l` (strict upper triangle ignored) into `w` (lower triangular,
 * strict upper triangle zeroed; `w` must not be `l`). Blocked forward substitution as the TypeScript
 * kernel: each block of rows is solved with its small triangle, then all the rows below are updated with
 * one GEMM.
 */
export function invertLower(l: usize, n: i32, w: usize): void {
  const rowBytes = <usize>n << 3;
  memory.fill(w, 0, <usize>n * rowBytes);
  for (let i0 = 0; i0 < n; i0 += NB) {
    const i1 = min(n, i0 + NB);
    for (let i = i0; i < i1; i++) store<f64>(w + <usize>i * rowBytes + (<usize>i << 3), 1);
    for (let i = i0; i < i1; i++) {
      const li = l + <usize>i * rowBytes;
      const xi = w + <usize>i * rowBytes;
      for (let k = i0; k < i; k++) {
        const lik = load<f64>(li + (<usize>k << 3));
        if (lik == 0) continue;
        axpyRow(xi, w + <usize>k * rowBytes, lik, k + 1);
      }
      scaleRow(xi, 1 / load<f64>(li + (<usize>i << 3)), i + 1);
    }
    if (i1 < n) {
      const below = <usize>i1 * rowBytes;
      gemm<f64>(false, false, n - i1, i1, i1 - i0, -1, l + below + (<usize>i0 << 3), n, w + <usize>i0 * rowBytes, n, 1, w + below, n);
    }
  }
  for (let i = 0; i < n; i++) {
    const start = w + <usize>i * rowBytes + (<usize>(i + 1) << 3);
    memory.fill(start, 0, <usize>(n - i - 1) << 3);
  }
}

/** row_i(B) −= s · row_k(B) over nrhs contiguous values. */
@inline
function axpyRow(bi: usize, bk: usize, s: f64, nrhs: i32): void {
  const sv = f64x2.splat(s);
  let r = 0;
  for (; r + 1 < nrhs; r += 2) {
    const o = <usize>r << 3;
    v128.store(bi + o, f64x2.sub(v128.load(bi + o), f64x2.mul(sv, v128.load(bk + o))));
  }
  if (r < nrhs) {
    const o = <usize>r << 3;
    store<f64>(bi + o, load<f64>(bi + o) - s * load<f64>(bk + o));
  }
}

@inline
function scaleRow(bi: usize, s: f64, nrhs: i32): void {
  for (let r = 0; r < nrhs; r++) {
    const p = bi + (<usize>r << 3);
    store<f64>(p, load<f64>(p) * s);
  }
}

/** Solves L·X = B in place (B is n×nrhs row-major at `b`). */
export function solveLower(l: usize, n: i32, b: usize, nrhs: i32): void {
  const lRow = <usize>n << 3;
  const bRow = <usize>nrhs << 3;
  if (nrhs == 1) {
    for (let i = 0; i < n; i++) {
      const li = l + <usize>i * lRow;
      const bi = b + (<usize>i << 3);
      store<f64>(bi, (load<f64>(bi) - dotF64(li, b, i)) * (1 / load<f64>(li + (<usize>i << 3))));
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const li = l + <usize>i * lRow;
    const bi = b + <usize>i * bRow;
    for (let k = 0; k < i; k++) {
      const lik = load<f64>(li + (<usize>k << 3));
      if (lik == 0) continue;
      axpyRow(bi, b + <usize>k * bRow, lik, nrhs);
    }
    scaleRow(bi, 1 / load<f64>(li + (<usize>i << 3)), nrhs);
  }
}

/** Solves Lᵀ·X = B in place with the lower-triangular L (B is n×nrhs row-major at `b`). */
export function solveLowerTransposed(l: usize, n: i32, b: usize, nrhs: i32): void {
  const lRow = <usize>n << 3;
  const bRow = <usize>nrhs << 3;
  for (let i = n - 1; i >= 0; i--) {
    const li = l + <usize>i * lRow;
    const bi = b + <usize>i * bRow;
    scaleRow(bi, 1 / load<f64>(li + (<usize>i << 3)), nrhs);
    if (nrhs == 1) {
      // b[0..i) −= x_i · L[i][0..i): one contiguous f64x2 axpy.
      const xi = load<f64>(bi);
      if (xi != 0) axpyRow(b, li, xi, i);
      continue;
    }
    for (let k = 0; k < i; k++) {
      const lik = load<f64>(li + (<usize>k << 3));
      if (lik == 0) continue;
      axpyRow(b + <usize>k * bRow, bi, lik, nrhs);
    }
  }
}
