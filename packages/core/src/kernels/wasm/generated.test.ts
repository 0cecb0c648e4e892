import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeBase64 } from './base64.js';
import { WASM_ASC_FLAGS, WASM_BASE64, WASM_SOURCE_HASH } from './generated/kernelsWasm.js';
import { instantiateWasmKernels, wasmKernelBytes, wasmSimdSupported } from './module.js';

const assemblyDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'assembly');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(full));
    else if (entry.name.endsWith('.ts')) out.push(relative(assemblyDir, full).split('\\').join('/'));
  }
  return out.sort();
}

/** The recipe of scripts/build-wasm.mjs `sourceHash()`; keep the two in step. */
function sourceHash(): string {
  const h = createHash('sha256');
  h.update(`flags\n${WASM_ASC_FLAGS.join(' ')}\n`);
  for (const name of sourceFiles(assemblyDir)) {
    const text = readFileSync(join(assemblyDir, name), 'utf8').replace(/\r\n/g, '\n');
    h.update(`file ${name}\n${text}\n`);
  }
  return h.digest('hex');
}

describe('generated WebAssembly module', () => {
  it('is up to date with packages/core/assembly (else run node packages/core/scripts/build-wasm.mjs)', () => {
    expect(sourceHash()).toBe(WASM_SOURCE_HASH);
  });

  it('records the flags the build script uses', () => {
    const script = readFileSync(join(assemblyDir, '..', 'scripts', 'build-wasm.mjs'), 'utf8');
    const m = /export const ASC_FLAGS = (\[[^\]]*\]);/.exec(script);
    expect(m).not.toBeNull();
    const listed = ((m as RegExpExecArray)[1] as string).replace(/'/g, '"');
    expect(JSON.parse(listed)).toEqual([...WASM_ASC_FLAGS]);
  });

  it('decodes to a valid SIMD module with every kernel export', () => {
    const bytes = wasmKernelBytes();
    expect(Buffer.from(bytes).equals(Buffer.from(WASM_BASE64, 'base64'))).toBe(true);
    expect([...bytes.subarray(0, 4)]).toEqual([0, 97, 115, 109]);
    expect(wasmSimdSupported()).toBe(true);
    const ex = instantiateWasmKernels();
    expect(ex).toBeDefined();
    expect(typeof ex?.gemmF32).toBe('function');
    expect(ex?.scratchEnd()).toBeGreaterThan(1 << 20);
  });

  it('decodeBase64 matches Buffer on random bytes and rejects bad characters', () => {
    for (let len = 0; len < 70; len++) {
      const bytes = Buffer.alloc(len);
      for (let i = 0; i < len; i++) bytes[i] = (i * 37 + len * 11) & 0xff;
      const text = bytes.toString('base64');
      expect(Buffer.from(decodeBase64(text)).equals(bytes)).toBe(true);
      expect(Buffer.from(decodeBase64(text.replace(/=+$/, ''))).equals(bytes)).toBe(true);
    }
    expect(() => decodeBase64('AG*z')).toThrow(SyntaxError);
  });
});
