/**
 * learned-phy-sim: the package's main entry. Training (autoencoder), Monte Carlo BLER/BER sweeps
 * (montecarlo), classical baselines, scenario files, channels and the backend choice. Each part also has
 * its own entry (`learned-phy-sim/autoencoder`, `/montecarlo`, `/baselines`, `/scenario`, `/channels`,
 * `/analysis`, `/report`, and the registries `/channels/registry`, `/modulations/registry`,
 * `/decoders/registry`, `/network/registry`), which holds the rest of that part's API.
 *
 * tfjs runs on the backend src/backend.ts picks (wasm unless told otherwise); training and loading a
 * model initialize it themselves. Code that calls tfjs before either (building a model by hand) should
 * `await initBackend()` first.
 */
export { initBackend, chooseBackend, decideBackend, readyBackend, tf, type BackendChoice, type BackendName } from './backend.ts';
export * from './autoencoder/index.ts';
export * from './montecarlo/index.ts';
export * from './baselines/index.ts';
export * from './scenario/index.ts';
export * from './channels/index.ts';
// The same type under the same name in two parts: the autoencoder's.
export type { PowerMode } from './autoencoder/index.ts';
export type { BlockSystem } from './system.ts';
export { RandomStream, type SeedPart } from './random.ts';
export { noiseStd } from './conventions.ts';
export * from './kinds.ts';
