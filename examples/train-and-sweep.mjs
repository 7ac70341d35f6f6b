// The library without the command line: the paper's (7,4) autoencoder trained with the simulator's default
// recipe (the one `sim run` uses: taken from a compiled scenario), then a BLER sweep on two worker threads
// beside Hamming (7,4) with ML decoding, the curve the paper compares it with (Fig. 3a).
//
//   node examples/train-and-sweep.mjs
import { autoencoderSpecOf, createPool, hamming74System, parseScenario, runSweep, trainAutoencoder, trainingOptions } from 'learned-phy-sim';

const scenario = parseScenario(
  ['name: ae74', 'seed: 11', 'sweep: { ebnoDb: [0, 2, 4, 6] }', 'systems:', '  - { id: ae74, type: autoencoder, k: 4, n: 7 }'].join('\n'),
  'ae74.yaml',
);
const system = scenario.systems[0];

const t0 = performance.now();
let printed = 0;
const ae = await trainAutoencoder(autoencoderSpecOf(system), {
  ...trainingOptions(system.train),
  seed: 11,
  onProgress: (p) => {
    if (p.step >= printed + 1000) {
      printed = p.step - (p.step % 1000);
      console.log(`step ${p.step}: loss ${p.loss.toFixed(4)}, accuracy ${p.accuracy.toFixed(4)}`);
    }
  },
});
console.log(`trained in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const pool = await createPool(2);
const opts = { ebnoDb: scenario.sweep.ebnoDb, seed: 11, rules: { targetErrors: 200, maxBlocks: 2_000_000 } };
const learned = await runSweep(ae.toBlockSystem('ae74'), opts, pool);
const hamming = await runSweep(hamming74System({ id: 'hamming-ml', decoding: 'ml', channel: system.channel }), opts, pool);
await pool.destroy();

console.log('Eb/N0   autoencoder BLER [95% interval]        Hamming (7,4) ML BLER [95% interval]');
const fmt = (p) => `${p.bler.toExponential(2)} [${p.ciLow.toExponential(2)}, ${p.ciHigh.toExponential(2)}]`;
for (let i = 0; i < learned.length; i++) console.log(`${String(learned[i].ebnoDb).padStart(5)}   ${fmt(learned[i]).padEnd(38)}   ${fmt(hamming[i])}`);
console.log(JSON.stringify({ learned, hamming }));
