import { Detector as CoreDetector, type DetectorFromJSONOptions } from '@nexus/ebm-core';
import { registerBuiltinModels } from '@nexus/ebm-energies';

/**
 * The `Detector` of `@nexus/ebm-core` (scaler + energy model + calibrated threshold), whose
 * {@link Detector.fromJSON} registers the built-in energies before it loads the model — so a saved detector
 * loads in any bundle, with no import side effect to keep. Instances are `instanceof` both classes.
 *
 * @example
 * ```ts
 * const det = new Detector({ model: new GaussianDensity(), falseAlarmRate: 0.01 }).fit(train, { seed: 1 });
 * const again = Detector.fromJSON(JSON.stringify(det.toJSON()));
 * ```
 */
export class Detector extends CoreDetector {
  /**
   * Restores a detector from `toJSON()` output (an object or JSON text) after registering the built-in
   * energies; see `Detector.fromJSON` of `@nexus/ebm-core`.
   *
   * @example
   * ```ts
   * const det = Detector.fromJSON(text);
   * ```
   */
  static override fromJSON(json: unknown, options: DetectorFromJSONOptions = {}): Detector {
    registerBuiltinModels();
    // biome-ignore lint/complexity/noThisInStatic: super keeps `this`, so the base restores this subclass
    return super.fromJSON(json, options) as Detector;
  }
}
