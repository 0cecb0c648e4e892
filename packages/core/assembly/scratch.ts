// Fixed scratch area at the start of the heap: the packing buffers of the GEMM kernels and a small tile
// buffer for edge tiles. The JavaScript allocator (src/kernels/wasm/heap.ts) hands out memory only above
// `scratchEnd()`, so the kernels may use this area freely between calls.

/** Packing buffer for op(A): at most 64 rows × 256 depth of f64 (= 128 × 256 of f32). */
export const PACK_A_BYTES: usize = 64 * 256 * 8;
/** Packing buffer for op(B): at most 256 depth × 512 columns of f64. */
export const PACK_B_BYTES: usize = 256 * 512 * 8;
/** Tile buffer for partial micro-tiles: 4 × 8 lanes of f64. */
export const TILE_BYTES: usize = 4 * 8 * 8;

/** Start of the scratch area (the heap base rounded up to 64 bytes). */
export function scratchStart(): usize {
  return (__heap_base + 63) & ~(<usize>63);
}

/** First byte above the scratch area; the JavaScript allocator starts here. */
export function scratchEnd(): usize {
  return scratchStart() + PACK_A_BYTES + PACK_B_BYTES + TILE_BYTES;
}

export function packAPtr(): usize {
  return scratchStart();
}

export function packBPtr(): usize {
  return scratchStart() + PACK_A_BYTES;
}

export function tilePtr(): usize {
  return scratchStart() + PACK_A_BYTES + PACK_B_BYTES;
}
