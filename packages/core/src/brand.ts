/**
 * Brands: how a value made by one copy of the library (the CJS build next to the ESM build, or two
 * bundles) is recognised by another. `instanceof` fails across copies, since each has its own classes; a
 * brand is a property keyed by a `Symbol.for` symbol, which every copy shares through the global symbol
 * registry.
 *
 * @module
 */

function brandKey(name: string): symbol {
  return Symbol.for(`@nexus/ebm:${name}`);
}

/**
 * Marks every instance of `ctor` (and of its subclasses) with the brand `name`; call it in the class's
 * static block.
 *
 * @example
 * ```ts
 * class MyEnergy extends BaseEnergyModel<State> {
 *   static {
 *     setBrand(MyEnergy, 'MyEnergy');
 *   }
 * }
 * ```
 */
export function setBrand(ctor: abstract new (...args: never[]) => object, name: string): void {
  Object.defineProperty(ctor.prototype, brandKey(name), { value: true });
}

/**
 * Whether `value` carries the brand `name` — true for instances made by any copy of the library.
 *
 * @example
 * ```ts
 * hasBrand(matrixFromTheCjsBuild, 'Matrix'); // true in the ESM build too
 * ```
 */
export function hasBrand(value: unknown, name: string): boolean {
  return (
    typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brandKey(name)] === true
  );
}
