// Float64 rows to Float32 network inputs, standardised column by column on the way: the same arithmetic
// as `toFloat32` in the energies package ((x − mean_j) / std_j in Float64, then rounded to Float32), so
// the two backends feed their networks identical inputs. f64x2 lanes; the division is kept (not a
// multiplication by 1/std) so that the results stay bit-identical.

/** dst[r·d + j] = f32((src[r·d + j] − mean[j]) / std[j]), or f32(src[…]) when `mean` is 0 (no scaling). */
export function toF32Standardized(src: usize, rows: i32, d: i32, mean: usize, std: usize, dst: usize): void {
  const n = rows * d;
  if (mean == 0) {
    let k = 0;
    for (; k + 1 < n; k += 2) {
      v128.store_lane<i64>(dst + (<usize>k << 2), f32x4.demote_f64x2_zero(v128.load(src + (<usize>k << 3))), 0);
    }
    for (; k < n; k++) store<f32>(dst + (<usize>k << 2), <f32>load<f64>(src + (<usize>k << 3)));
    return;
  }
  for (let r = 0; r < rows; r++) {
    const s = src + (<usize>(r * d) << 3);
    const o = dst + (<usize>(r * d) << 2);
    let j = 0;
    for (; j + 1 < d; j += 2) {
      const x = v128.load(s + (<usize>j << 3));
      const z = f64x2.div(f64x2.sub(x, v128.load(mean + (<usize>j << 3))), v128.load(std + (<usize>j << 3)));
      v128.store_lane<i64>(o + (<usize>j << 2), f32x4.demote_f64x2_zero(z), 0);
    }
    for (; j < d; j++) {
      const z = (load<f64>(s + (<usize>j << 3)) - load<f64>(mean + (<usize>j << 3))) / load<f64>(std + (<usize>j << 3));
      store<f32>(o + (<usize>j << 2), <f32>z);
    }
  }
}
