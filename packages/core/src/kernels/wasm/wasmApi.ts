/**
 * The part of a WebAssembly memory the kernels use. Declared here because the library compiles against
 * the ES lib only (no DOM typings), where the `WebAssembly` global has no type.
 */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** An instantiated module's exports. */
type WasmExports = Record<string, unknown>;

/**
 * The part of the global `WebAssembly` namespace the loader uses.
 *
 * @example
 * ```ts
 * wasmApi()?.validate(bytes);
 * ```
 */
export interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: WasmExports };
  readonly Memory: new (descriptor: { initial: number; maximum?: number }) => WasmMemory;
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(module: object, imports: object): Promise<{ readonly exports: WasmExports }>;
}

/**
 * The runtime's `WebAssembly` namespace, or `undefined` where there is none.
 *
 * @example
 * ```ts
 * const api = wasmApi();
 * ```
 */
export function wasmApi(): WasmApi | undefined {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  return typeof api === 'object' && api !== null ? api : undefined;
}
