/**
 * The pieces of the WebAssembly binary format (https://webassembly.github.io/spec/core/binary/) that the
 * module builder (builder.ts) writes: LEB128 integers, names, vectors and sections.
 */

/** Unsigned LEB128 of a u32. */
export const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
};

/** Signed LEB128 of an i32 (a larger number is taken modulo 2³², as i32.const wants it). */
export const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
};

/** The four little-endian bytes of a float32. */
export const f32Bytes = (v: number): number[] => Array.from(new Uint8Array(new Float32Array([v]).buffer));

/** A name: its length, then its bytes (ASCII). */
export const str = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
/** A section: id, byte length, body. */
export const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
/** A vector: item count, then the items. */
export const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
