/** How the report pages write numbers, durations and Eb/N0 settings. */
import { dbSignedText, dbText } from '../data/db-text.ts';

/** A BLER or probability: 3 significant decimals in scientific notation; exact zero as 0. */
export const fmtSci = (x: number): string => (x === 0 ? '0' : x.toExponential(3));
/** A count with thousands separators. */
export const fmtInt = (x: number): string => Math.round(x).toLocaleString('en-US');
/** A duration in seconds in words: seconds below 2 min, minutes below 2 h, hours above (e.g. "4.5 min"). */
export const fmtSeconds = (s: number): string => (s < 120 ? `${s.toFixed(1)} s` : s < 7200 ? `${(s / 60).toFixed(1)} min` : `${(s / 3600).toFixed(2)} h`);
/** A dB figure to two decimals; null or missing as a dash. */
export const fmtDb = (x: number | null | undefined): string => (x === null || x === undefined ? '—' : dbText(x));
/** A dB difference with its sign. */
export const fmtDbSigned = (x: number): string => dbSignedText(x);

/** A training Eb/N0: fixed, or a range drawn per batch (format 1 wrote ranges as [low, high]). */
export function ebnoText(e: number | { from: number; to: number } | undefined): string {
  if (e === undefined) return '—';
  if (typeof e === 'number') return `${e} dB`;
  return `${e.from}…${e.to} dB (uniform per batch)`;
}
