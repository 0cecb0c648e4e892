/**
 * `@nexus/ebm`: energy-based anomaly detection for security telemetry — the one import users write.
 * Re-exports `@nexus/ebm-core`, `@nexus/ebm-energies` and `@nexus/ebm-features` by name.
 *
 * @packageDocumentation
 */

export type { EnergyModel, FitOptions, MatrixLike, ModelJSON, Progress } from '@nexus/ebm-core';
export { Matrix, Rng, toMatrix, toVector } from '@nexus/ebm-core';
