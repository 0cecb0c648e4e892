import { columnMeans } from '../columnStats.js';
import { type KernelBackend, tsBackend } from '../tsBackend.js';
import { wasmCentreDistances } from './centreDistances.js';
import { wasmClusterSums } from './clusterSums.js';
import { wasmKernelLogSum } from './kernelLogSum.js';
import { wasmKnnSelect } from './knnSelect.js';
import {
  wasmComoment,
  wasmMahalanobisRows,
  wasmMahalanobisRowsChecked,
  wasmMahalanobisRowsMulti,
} from './mahalanobis.js';
import { getWasmRuntime, type WasmRuntime } from './runtime.js';
import { Staging } from './staging.js';

/** Elements spanned by `rows` rows of `cols` values with leading dimension `ld` (0 when empty). */
function span(rows: number, cols: number, ld: number): number {
  return rows > 0 && cols > 0 ? (rows - 1) * ld + cols : 0;
}

/** Round an element count up so the next operand starts 16-byte aligned. */
function pad(elements: number, bytesPerElement: number): number {
  const per = 16 / bytesPerElement;
  return Math.ceil(elements / per) * per;
}

function build(rt: WasmRuntime): KernelBackend {
  const { exports: ex, heap } = rt;
  const staging = new Staging(heap);

  const gemmF32: KernelBackend['gemmF32'] = (
    transA,
    transB,
    m,
    n,
    k,
    alpha,
    a,
    aOff,
    lda,
    b,
    bOff,
    ldb,
    beta,
    c,
    cOff,
    ldc,
  ) => {
    if (m <= 0 || n <= 0) return;
    const readAB = k > 0 && alpha !== 0;
    const sa = readAB ? span(transA ? k : m, transA ? m : k, lda) : 0;
    const sb = readAB ? span(transB ? n : k, transB ? k : n, ldb) : 0;
    const sc = span(m, n, ldc);
    const base = staging.ensure(4 * (pad(sa, 4) + pad(sb, 4) + sc)) >> 2;
    const ib = base + pad(sa, 4);
    const ic = ib + pad(sb, 4);
    const mem = heap.f32();
    if (sa > 0) mem.set(a.subarray(aOff, aOff + sa), base);
    if (sb > 0) mem.set(b.subarray(bOff, bOff + sb), ib);
    if (beta !== 0 || ldc !== n) mem.set(c.subarray(cOff, cOff + sc), ic);
    ex.gemmF32(+transA, +transB, m, n, k, alpha, base << 2, lda, ib << 2, ldb, beta, ic << 2, ldc);
    c.set(mem.subarray(ic, ic + sc), cOff);
  };

  const gemm: KernelBackend['gemm'] = (
    transA,
    transB,
    m,
    n,
    k,
    alpha,
    a,
    aOff,
    lda,
    b,
    bOff,
    ldb,
    beta,
    c,
    cOff,
    ldc,
  ) => {
    if (m <= 0 || n <= 0) return;
    const readAB = k > 0 && alpha !== 0;
    const sa = readAB ? span(transA ? k : m, transA ? m : k, lda) : 0;
    const sb = readAB ? span(transB ? n : k, transB ? k : n, ldb) : 0;
    const sc = span(m, n, ldc);
    const base = staging.ensure(8 * (pad(sa, 8) + pad(sb, 8) + sc)) >> 3;
    const ib = base + pad(sa, 8);
    const ic = ib + pad(sb, 8);
    const mem = heap.f64();
    if (sa > 0) mem.set(a.subarray(aOff, aOff + sa), base);
    if (sb > 0) mem.set(b.subarray(bOff, bOff + sb), ib);
    if (beta !== 0 || ldc !== n) mem.set(c.subarray(cOff, cOff + sc), ic);
    ex.gemmF64(+transA, +transB, m, n, k, alpha, base << 3, lda, ib << 3, ldb, beta, ic << 3, ldc);
    c.set(mem.subarray(ic, ic + sc), cOff);
  };

  const gemv: KernelBackend['gemv'] = (trans, m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff) => {
    const nx = trans ? m : n;
    const ny = trans ? n : m;
    if (ny <= 0) return;
    const readA = alpha !== 0;
    const sa = readA ? span(m, n, lda) : 0;
    const sx = readA ? nx : 0;
    const base = staging.ensure(8 * (pad(sa, 8) + pad(sx, 8) + ny)) >> 3;
    const ix = base + pad(sa, 8);
    const iy = ix + pad(sx, 8);
    const mem = heap.f64();
    if (sa > 0) mem.set(a.subarray(aOff, aOff + sa), base);
    if (sx > 0) mem.set(x.subarray(xOff, xOff + sx), ix);
    if (beta !== 0) mem.set(y.subarray(yOff, yOff + ny), iy);
    ex.gemvF64(+trans, m, n, alpha, base << 3, lda, ix << 3, beta, iy << 3);
    y.set(mem.subarray(iy, iy + ny), yOff);
  };

  const cholesky: KernelBackend['cholesky'] = (a, n, l, jitter) => {
    if (n <= 0) return -1;
    const nn = n * n;
    const inPlace = a === l;
    const base = staging.ensure(8 * (pad(nn, 8) + (inPlace ? 0 : nn))) >> 3;
    const il = inPlace ? base : base + pad(nn, 8);
    const mem = heap.f64();
    mem.set(a.subarray(0, nn), base);
    if (!inPlace) mem.set(l.subarray(0, nn), il);
    const info = ex.cholesky(base << 3, n, il << 3, jitter);
    l.set(mem.subarray(il, il + nn), 0);
    return info;
  };

  const solve =
    (kernel: (l: number, n: number, b: number, nrhs: number) => void): KernelBackend['solveLower'] =>
    (l, n, b, bOff, nrhs) => {
      if (n <= 0 || nrhs <= 0) return;
      const nn = n * n;
      const nb = n * nrhs;
      const base = staging.ensure(8 * (pad(nn, 8) + nb)) >> 3;
      const ib = base + pad(nn, 8);
      const mem = heap.f64();
      mem.set(l.subarray(0, nn), base);
      mem.set(b.subarray(bOff, bOff + nb), ib);
      kernel(base << 3, n, ib << 3, nrhs);
      b.set(mem.subarray(ib, ib + nb), bOff);
    };

  // The TypeScript algorithm: two-pass mean, then the co-moment of the centred rows in WebAssembly.
  const covariance: KernelBackend['covariance'] = (x, m, n, mean, cov, ddof) => {
    columnMeans(x, m, n, mean, cov);
    wasmComoment(x, m, n, mean, 0, null, 0, 1, cov, 0);
    const inv = 1 / (m - ddof);
    for (let k = 0; k < n * n; k++) cov[k] = (cov[k] as number) * inv;
  };
  const invertLower: KernelBackend['invertLower'] = (l, n, w) => {
    if (n <= 0) return;
    const nn = n * n;
    const base = staging.ensure(16 * pad(nn, 8)) >> 3;
    const iw = base + pad(nn, 8);
    const mem = heap.f64();
    mem.set(l.subarray(0, nn), base);
    ex.invertLower(base << 3, n, iw << 3);
    w.set(mem.subarray(iw, iw + nn), 0);
  };
  return Object.freeze({
    ...tsBackend,
    covariance,
    comoment: wasmComoment,
    invertLower,
    name: 'wasm',
    gemm,
    gemmF32,
    gemv,
    cholesky,
    solveLower: solve(ex.solveLower),
    solveLowerTransposed: solve(ex.solveLowerTransposed),
    mahalanobisRows: wasmMahalanobisRows,
    mahalanobisRowsChecked: wasmMahalanobisRowsChecked,
    mahalanobisRowsMulti: wasmMahalanobisRowsMulti,
    knnSelect: wasmKnnSelect,
    kernelLogSum: wasmKernelLogSum,
    centreDistances: wasmCentreDistances,
    clusterSums: wasmClusterSums,
  });
}

let backend: KernelBackend | undefined;

/**
 * The WebAssembly SIMD kernel backend, or `undefined` where WebAssembly SIMD is unavailable. Its
 * functions take ordinary typed arrays (same signatures as the TypeScript kernels) and copy operands
 * into and out of WebAssembly memory per call; `gemm`, `gemmF32`, `gemv`, `cholesky`, `invertLower`,
 * `solveLower`, `solveLowerTransposed`, `comoment` and `mahalanobisRows` run in WebAssembly, and
 * `covariance` forms its co-moment there; `dot` and `axpy` are the TypeScript kernels (a copy per call
 * would cost more than they do). For hot loops, keep the data resident with {@link WasmF32Buffer} and the
 * fused kernels instead.
 *
 * Results agree with the TypeScript kernels up to rounding: Float64 kernels to a few ulps of the
 * magnitude of the summed terms, `gemmF32` to single-precision accumulation error (it sums in Float32,
 * where the TypeScript kernel sums in Float64).
 *
 * @example
 * ```ts
 * const wasm = getWasmBackend();
 * if (wasm) setBackend(wasm);
 * ```
 */
export function getWasmBackend(): KernelBackend | undefined {
  if (backend !== undefined) return backend;
  const rt = getWasmRuntime();
  if (rt !== undefined) backend = build(rt);
  return backend;
}
