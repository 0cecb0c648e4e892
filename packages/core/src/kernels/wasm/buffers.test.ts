import { describe, expect, it } from 'vitest';
import { WasmF32Buffer, WasmF64Buffer } from './buffers.js';
import { requireWasmRuntime } from './runtime.js';

describe('resident WebAssembly buffers', () => {
  it('hold data across memory growth and copy out', () => {
    const a = WasmF32Buffer.from([1.5, 2, -3]);
    const big = new WasmF64Buffer(1 << 20); // 8 MB: grows the memory, detaching earlier views
    expect([...a.view()]).toEqual([1.5, 2, -3]);
    expect(a.toArray()).toEqual(new Float32Array([1.5, 2, -3]));
    big.view()[(1 << 20) - 1] = 4;
    expect(big.toArray()[(1 << 20) - 1]).toBe(4);
    a.dispose();
    big.dispose();
  });

  it('throw after dispose and tolerate double dispose', () => {
    const b = WasmF64Buffer.from([1, 2]);
    b.dispose();
    b.dispose();
    expect(b.disposed).toBe(true);
    expect(() => b.view()).toThrow(/dispose/);
    expect(() => new WasmF32Buffer(-1)).toThrow(RangeError);
  });

  it('1,000 allocate/dispose cycles do not grow WebAssembly memory', () => {
    const { heap } = requireWasmRuntime();
    const cycle = () => {
      const bufs = [new WasmF32Buffer(64 * 32), new WasmF32Buffer(256 * 64), new WasmF64Buffer(50_000)];
      bufs[1]?.view().fill(1);
      for (const buf of bufs) buf.dispose();
    };
    cycle();
    const reserved = heap.bytesReserved;
    const inUse = heap.bytesInUse;
    for (let i = 0; i < 1000; i++) cycle();
    expect(heap.bytesReserved).toBe(reserved);
    expect(heap.bytesInUse).toBe(inUse);
  });
});
