// A channel the package does not ship, added from user code: examples/impulsive-noise.mjs defines and
// registers it; here a scenario names it, a (7,4) autoencoder trains over it, and Monte Carlo on two worker
// threads measures the autoencoder and uncoded BPSK over it, BPSK beside its closed form.
//
//   node examples/user-channel.mjs
import { createPool, parseScenario, runSweep, trainAutoencoder, uncodedSystem } from 'learned-phy-sim';
import { channelKinds, useKindModule } from 'learned-phy-sim/kinds';

// Loads the module here and in every worker thread started from now on.
await useKindModule(new URL('./impulsive-noise.mjs', import.meta.url));
const { bpskBer } = await import('./impulsive-noise.mjs');
console.log(`channel kinds: ${channelKinds().map((k) => k.type).join(', ')}`);

// A scenario may name the new type; its fields are checked by the kind's schema.
const scenario = parseScenario(
  [
    'name: impulsive',
    'channel: { type: impulsive, probability: 0.02, powerRatio: 50 }',
    'sweep: { ebnoDb: [2, 6, 10] }',
    'systems:',
    '  - { id: ae, type: autoencoder, k: 4, n: 7 }',
  ].join('\n'),
  'impulsive.yaml',
);
const channel = scenario.systems[0].channel;
console.log(`compiled channel: ${JSON.stringify(channel)}`);
try {
  parseScenario('name: bad\nchannel: { type: impulsive, probability: 2 }\nsweep: { ebnoDb: [2] }\nsystems: [{ id: ae, type: autoencoder, k: 4, n: 7 }]', 'bad.yaml');
} catch (e) {
  console.log(`a bad field is refused:\n${e.message}`);
}

const spec = { k: 4, n: 7, signalling: 'real', normalization: 'energy', channel };
const ae = await trainAutoencoder(spec, { ebnoDb: 8, batchSize: 512, steps: 1500, learningRate: 0.005, seed: 7 });
const pool = await createPool(2);
const opts = { ebnoDb: [2, 6, 10], seed: 7, rules: { targetErrors: 100, maxBlocks: 200_000 } };
const learned = await runSweep(ae.toBlockSystem('ae'), opts, pool);
const bpsk = await runSweep(uncodedSystem({ id: 'bpsk', modulation: 'bpsk', k: 1, channel }), opts, pool);
await pool.destroy();

console.log('Eb/N0  AE (7,4) BLER   BPSK BER   BPSK BER closed form');
for (let i = 0; i < opts.ebnoDb.length; i++) {
  const ebno = opts.ebnoDb[i];
  const closed = bpskBer(channel, 10 ** (ebno / 10));
  console.log(`${String(ebno).padStart(4)}   ${learned[i].bler.toExponential(2).padStart(12)}   ${bpsk[i].bler.toExponential(2)}   ${closed.toExponential(2)}`);
}
console.log(JSON.stringify({ channel, learned, bpsk, closedForm: opts.ebnoDb.map((e) => bpskBer(channel, 10 ** (e / 10))) }));
