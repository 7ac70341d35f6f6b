/** The report's training plot (src/report/figures.ts trainingFigure): which traces a training record gives, with what data. */
import assert from 'node:assert/strict';
import { trainingFigure } from '../../src/report/figures.ts';
import type { Curve, ResultsFile } from '../../src/results/results.ts';

const curve = (id: string, label: string, training?: Curve['training']): Curve =>
  ({ id, label, type: 'autoencoder', k: 4, n: 7, rate: 4 / 7, signalling: 'real', channel: { type: 'awgn' }, points: [], training }) as Curve;
const results = (curves: Curve[]): ResultsFile => ({ curves }) as ResultsFile;
const base = { finalAccuracy: 0.99, seconds: 1, ebnoDb: 7, restarts: 0, restartReasons: [] };

describe("the report's training plot (trainingFigure)", () => {
  it('no trained curve (or no positive finite loss): no figure', () => {
    assert.equal(trainingFigure(results([curve('h', 'Hamming')])), undefined);
    assert.equal(trainingFigure(results([curve('a', 'AE', { ...base, steps: [1, 2], loss: [0, Number.NaN], accuracy: [0.1, 0.2] })])), undefined);
  });

  it('loss (positive finite values only) and accuracy on the second axis; validation and refinement traces with their BLER', () => {
    const f = trainingFigure(
      results([
        curve('a', 'AE <7,4>', {
          ...base,
          steps: [100, 200, 300],
          loss: [0.9, Number.POSITIVE_INFINITY, 0.1],
          accuracy: [0.5, 0.9, Number.NaN],
          validation: { steps: [150, 300], loss: [0.4, 0.2], bler: [0.03, 0.01], blocks: 1000, ebnoDb: 7 },
          refinement: {
            ebnoDb: 9,
            learningRate: 0.001,
            fromStep: 300,
            steps: 50,
            blocks: 1000,
            stopReason: 'converged',
            learningRateDecays: [],
            validation: { steps: [320, 350], loss: [0.05, 0.04], bler: [1e-3, 8e-4] },
          },
        }),
        curve('b', 'plain', { ...base, steps: [10], loss: [0.5], accuracy: [0.7] }),
      ]),
    );
    assert.ok(f);
    const names = f.data.map((t) => t.name);
    assert.deepEqual(names, [
      'AE &lt;7,4&gt;: loss',
      'AE &lt;7,4&gt;: accuracy',
      'AE &lt;7,4&gt;: validation loss',
      'AE &lt;7,4&gt;: decoder refinement, validation loss at 9 dB',
      'plain: loss',
      'plain: accuracy',
    ]);
    const [loss, acc, val, ref] = f.data;
    assert.deepEqual(
      [loss.x, loss.y],
      [
        [100, 300],
        [0.9, 0.1],
      ],
    );
    assert.deepEqual([acc.x, acc.y, acc.yaxis], [[100, 200], [0.5, 0.9], 'y2']);
    assert.deepEqual(
      [val.x, val.y, val.customdata],
      [
        [150, 300],
        [0.4, 0.2],
        [0.03, 0.01],
      ],
    );
    assert.deepEqual(
      [ref.x, ref.y, ref.customdata],
      [
        [320, 350],
        [0.05, 0.04],
        [1e-3, 8e-4],
      ],
    );
    // One colour per curve: every trace of a curve shares it, the two curves differ.
    const colour = (t: Record<string, unknown>) => (t.line as { color: string }).color;
    assert.equal(new Set(f.data.slice(0, 4).map(colour)).size, 1);
    assert.notEqual(colour(f.data[0]), colour(f.data[4]));
  });
});
