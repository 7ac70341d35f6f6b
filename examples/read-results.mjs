// Reading a run's results.json with the library: the reader checks the file (a damaged or hand-edited one
// is refused with the field named), then each curve's Eb/N0 at BLER 1e-3 with its interval, and the gap
// between two curves. Run a scenario first, e.g. `npm start` (writes reports/quick/results.json):
//
//   node examples/read-results.mjs reports/quick/results.json [curve-a curve-b]
import { readResults } from 'learned-phy-sim/report';

const [file = 'reports/quick/results.json', a, b] = process.argv.slice(2);
const results = await readResults(file);
console.log(`${results.scenario.name}: ${results.curves.length} curves, complete: ${results.complete}`);

const at = (c) => {
  const x = c.ebnoAtBler?.['1e-3'];
  const ci = c.ebnoAtBlerCi?.['1e-3'];
  if (x == null) return 'not reached';
  return `${x.toFixed(2)} dB [${ci?.low?.toFixed(2) ?? '−∞'}, ${ci?.high?.toFixed(2) ?? '+∞'}]`;
};
for (const c of results.curves) console.log(`${c.id.padEnd(16)} ${c.label.padEnd(40)} Eb/N0 at BLER 1e-3: ${at(c)}`);

const first = results.curves.find((c) => c.id === (a ?? results.curves[0]?.id));
const second = results.curves.find((c) => c.id === (b ?? results.curves[1]?.id));
if (first && second) {
  const x = first.ebnoAtBler?.['1e-3'];
  const y = second.ebnoAtBler?.['1e-3'];
  if (x != null && y != null) console.log(`gap ${first.id} − ${second.id} at 1e-3: ${(x - y).toFixed(2)} dB`);
}
console.log(JSON.stringify({ name: results.scenario.name, curves: results.curves.map((c) => ({ id: c.id, at1e3: c.ebnoAtBler?.['1e-3'] ?? null })) }));
