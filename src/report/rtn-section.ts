/**
 * The report's "What the RTN learned" part: for autoencoders with an RTN receiver, a few blocks' channel
 * taps h next to the estimated filter ω and the overall response h ∗ ω (ideally a delayed impulse), and the
 * mean share of the response's energy in its largest tap over many blocks (src/autoencoder/rtn-examples.ts).
 */
import { rtnMsg } from '../messages.ts';
import { escapeHtml } from './escape.ts';
import type { ResultsFile } from './results.ts';
import { htmlTable } from './tables.ts';

/** A complex value as magnitude∠phase (degrees). */
const polar = ([re, im]: number[]): string => `${Math.hypot(re, im).toFixed(2)}∠${Math.round((Math.atan2(im, re) * 180) / Math.PI)}°`;

export function rtnSection(results: ResultsFile): string {
  const curves = results.curves.filter((c) => c.rtn);
  if (!curves.length) return '';
  const parts = curves.map((c) => {
    const r = c.rtn!;
    const table = htmlTable({
      columns: [
        { header: 'block', cell: (_row, i) => i + 1, className: 'num' },
        { header: 'channel taps h', cell: (b) => b.h.map(polar).join('  ') },
        { header: 'estimated filter ω', cell: (b) => b.omega.map(polar).join('  ') },
        { header: 'overall response h ∗ ω', cell: (b) => b.response.map(polar).join('  ') },
      ],
      rows: r.blocks,
    });
    return `<h3>${escapeHtml(c.label)}</h3>
<p class="caption">${escapeHtml(rtnMsg.caption(r.ebnoDb, r.peakShare.blocks, r.peakShare.channel, r.peakShare.equalized))}</p>
${table}`;
  });
  return `<h2>What the RTN learned</h2>
<section class="card" id="rtn">
${parts.join('\n')}
</section>`;
}
