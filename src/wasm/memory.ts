/** Laying arrays out in a generated module's memory (the memory is JavaScript's: modules import it). */

/** Grows a module's memory to at least `bytes` (whole 64 KiB pages). */
export function growTo(mem: WebAssembly.Memory, bytes: number): void {
  if (mem.buffer.byteLength < bytes) mem.grow(Math.ceil((bytes - mem.buffer.byteLength) / 65536));
}

/**
 * Places arrays of 4-byte elements one after another in a module's memory from byte `base`, each 16-byte
 * aligned, growing the memory to hold them all; returns their byte offsets. Views on the memory are made
 * after this call (growing detaches earlier ones).
 */
export function place(mem: WebAssembly.Memory, counts: number[], base = 0): number[] {
  const at: number[] = [];
  let top = base;
  for (const n of counts) {
    at.push(top);
    top += Math.ceil((n * 4) / 16) * 16;
  }
  growTo(mem, top);
  return at;
}
