/**
 * `@nexus/ebm-features`: parsers and featurizers for security logs, and the realistic log simulator.
 *
 * @packageDocumentation
 */

// --- parse (issue 5) ---

// --- featurize (issue 5) ---

// --- simulate (issue 7) ---
export {};
