/**
 * Import rules for src/ and sim/ (`npm run lint:deps`, first step of `npm run lint` and `npm test`).
 *
 * Floors, bottom to top: a module imports from its own floor or a lower one, never from a higher one, and no
 * module imports (directly or through others) a module that imports it back. Test code is not checked.
 * A file in no floor below is only held to the cycle rule; give a new folder its floor here.
 */

/** Folders (src/<name>/) and single modules (src/<name>.ts) of each floor, lowest first. */
const FLOORS = [
  // words, numbers and tools everything shares
  [
    'vocabulary',
    'conventions',
    'defaults',
    'messages',
    'errors',
    // plain-data helpers (is-object, stable-json)
    'data',
    'claim-catalogue',
    'io',
    'random',
    'math',
    'wasm',
    'tfjs-patches',
    // the request/reply of the training workers
    'workers',
    'backend',
    // where the package's files are (package.json, scenarios/), from the sources or dist/
    'package-root',
    // modules that register kinds from user code, imported in every thread
    'kind-modules',
    // the seam between the core and Node (its built-ins where they exist)
    'platform',
  ],
  // channel models, modulations, network layers, compiled networks' forward passes
  ['channels', 'modulations', 'layers', 'block-link', 'mlp'],
  // what the Monte Carlo engine measures: block systems, decoders, classical baselines
  ['system', 'decoders', 'baselines'],
  // the training loop both trainers share (attempts, convergence, decoder refinement, training records)
  ['training'],
  // Monte Carlo, training (single link and two users)
  ['montecarlo', 'network', 'autoencoder', 'twouser'],
  // scenarios (schema, checks, compilation) and the system kinds they are made of (src/systems/: each kind's
  // scenario fragment, compile step, checks, curve plans, and how its curves are obtained: trained or loaded
  // models, classical systems); the two import each other's parts, never in a cycle
  ['scenario', 'systems'],
  // the results.json contract
  ['results'],
  // claims and measurements read from results
  ['analysis'],
  // the HTML report
  ['report'],
  // running a scenario
  ['run'],
  // the package's entry points (src/index.ts, src/kinds.ts): re-exports only
  ['index', 'kinds'],
];

const escapeRegExp = (name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** src/<name>.ts or anything under src/<name>/, for every name of the floors given. */
const pathOf = (floors) => `^src/(${floors.flat().map(escapeRegExp).join('|')})(\\.ts$|/)`;

const floorRules = FLOORS.slice(0, -1).map((floor, i) => ({
  name: `floor-${i}-imports-up`,
  severity: 'error',
  comment: `Imports only point down: ${floor.join(', ')} may not import from a higher floor (${FLOORS.slice(i + 1)
    .map((f) => f.join(', '))
    .join(' / ')}).`,
  from: { path: pathOf([floor]) },
  to: { path: pathOf(FLOORS.slice(i + 1)) },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A module may not import (directly or through others) a module that imports it back.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-src-to-sim',
      severity: 'error',
      comment: 'src/ is the library, sim/ the command line on top of it: the library never imports the command line.',
      from: { path: '^src/' },
      to: { path: '^sim/' },
    },
    {
      name: 'no-orphans',
      severity: 'error',
      comment: 'Every module is imported by another or imports one (entry points import the library); an orphan is dead code.',
      from: { orphan: true, pathNot: '\\.d\\.ts$' },
      to: {},
    },
    ...floorRules,
  ],
  options: {
    includeOnly: '^(src|sim)/',
    exclude: { path: '^test/' },
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a cycle through types is a cycle between the modules' meanings.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
};
