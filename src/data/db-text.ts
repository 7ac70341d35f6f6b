/**
 * The one way a dB figure is written, in tables, findings and on the terminal. Figures reach it already
 * rounded to 3 decimals (the analysis stores them so), and toFixed rounds the binary value: 5.905 and 0.035
 * came out up in one place and down in another. Rounding the decimal value half away from zero, after
 * dropping the binary noise, gives every copy of a figure the same text; a figure that rounds to zero has no
 * sign ("-0.00" read as a loss).
 */

/** x rounded half away from zero to `digits` decimals, as the decimal number x is meant to be. */
export function roundHalfAway(x: number, digits: number): number {
  const clean = Number(x.toPrecision(12));
  const scale = 10 ** digits;
  const r = (Math.sign(clean) * Math.round(Math.abs(clean) * scale)) / scale;
  return r === 0 ? 0 : r;
}

/** A dB figure: two decimals (never "-0.00"). */
export const dbText = (x: number): string => roundHalfAway(x, 2).toFixed(2);

/** A dB difference with its sign: "+0.04", "-0.04", and a difference that rounds to zero as "0.00". */
export function dbSignedText(x: number): string {
  const r = roundHalfAway(x, 2);
  return `${r > 0 ? '+' : ''}${r.toFixed(2)}`;
}
