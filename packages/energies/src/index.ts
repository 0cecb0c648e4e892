/**
 * `@nexus/ebm-energies`: energy functions — Gaussian density, Gaussian mixture, autoencoder, RBM, ensemble.
 *
 * @packageDocumentation
 */

// --- gaussian, mixture (issue 3) ---

// --- autoencoder, rbm (issue 4) ---

// --- ensemble (issue 8) ---
export {};
