// Float64 rows to Float32 network inputs, standardised column by column on the way: the same arithmetic
// as `toFloat32` in the energies package ((x − mean_j) / std_j in Float64, then rounded to Float32), so
// the two backends feed their networks identical inputs. f64x2 lanes; the division is kept (not a
// multiplication by 1/std) so that the results stay bit-identical.
//
// The same pass tells whether every input value was finite (Σ x·0 stays 0 unless some x is ±∞ or NaN), so
// a caller can skip its own scan of the rows and look for the offending value only when there is one.

/**
 * dst[r·d + j] = f32((src[r·d + j] − mean[j]) / std[j]), or f32(src[…]) when `mean` is 0 (no scaling).
 * Returns 1 when every src value is finite, else 0 (dst is then written all the same).
 */
export function toF32Standardized(src: usize, rows: i32, d: i32, mean: usize, std: usize, dst: usize): i32 {
  const n = rows * d;
  const zero = f64x2.splat(0);
  let acc = zero;
  let tail: f64 = 0;
  if (mean == 0) {
    let k = 0;
    for (; k + 1 < n; k += 2) {
      const x = v128.load(src + (<usize>k << 3));
      acc = f64x2.add(acc, f64x2.mul(x, zero));
      v128.store_lane<i64>(dst + (<usize>k << 2), f32x4.demote_f64x2_zero(x), 0);
    }
    for (; k < n; k++) {
      const x = load<f64>(src + (<usize>k << 3));
      tail += x * 0;
      store<f32>(dst + (<usize>k << 2), <f32>x);
    }
    return allZero(acc, tail);
  }
  for (let r = 0; r < rows; r++) {
    const s = src + (<usize>(r * d) << 3);
    const o = dst + (<usize>(r * d) << 2);
    let j = 0;
    for (; j + 1 < d; j += 2) {
      const x = v128.load(s + (<usize>j << 3));
      acc = f64x2.add(acc, f64x2.mul(x, zero));
      const z = f64x2.div(f64x2.sub(x, v128.load(mean + (<usize>j << 3))), v128.load(std + (<usize>j << 3)));
      v128.store_lane<i64>(o + (<usize>j << 2), f32x4.demote_f64x2_zero(z), 0);
    }
    for (; j < d; j++) {
      const x = load<f64>(s + (<usize>j << 3));
      tail += x * 0;
      const z = (x - load<f64>(mean + (<usize>j << 3))) / load<f64>(std + (<usize>j << 3));
      store<f32>(o + (<usize>j << 2), <f32>z);
    }
  }
  return allZero(acc, tail);
}

/** 1 when both lanes of `acc` and `tail` are 0 (no ±∞ or NaN was summed into them), else 0. */
function allZero(acc: v128, tail: f64): i32 {
  const s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1) + tail;
  return s == 0 ? 1 : 0;
}
