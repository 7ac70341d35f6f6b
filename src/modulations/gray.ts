/** The binary-reflected Gray code: adjacent integers' codes differ in one bit. */
export const grayEncode = (i: number): number => i ^ (i >> 1);
export function grayDecode(g: number): number {
  let i = g;
  for (let s = g >> 1; s; s >>= 1) i ^= s;
  return i;
}
