/**
 * The few pieces of the WebAssembly binary format (https://webassembly.github.io/spec/core/binary/), and of
 * laying arrays out in a module's memory, that the run-time generated modules (mlp-wasm.ts: the learned decoder, random-wasm.ts: the ziggurat) are written with.
 */

/** Unsigned LEB128. */
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

/** Signed LEB128. */
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

/** A name: its length, then its bytes (ASCII). */
export const str = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
/** A section: id, byte length, body. */
export const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
/** A vector: item count, then the items. */
export const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];

/** WebAssembly value types. */
export const T = { i32: 0x7f, f32: 0x7d, f64: 0x7c, v128: 0x7b } as const;

/**
 * A function body under construction: each method appends one instruction (or a short fixed sequence) and
 * returns this, so a body reads as its instruction list. Opcode numbers: the core and fixed-width SIMD
 * tables of the specification.
 */
export class Code {
  readonly bytes: number[] = [];
  op(...b: number[]): this {
    this.bytes.push(...b);
    return this;
  }
  get(l: number): this {
    return this.op(0x20, ...uleb(l));
  }
  set(l: number): this {
    return this.op(0x21, ...uleb(l));
  }
  tee(l: number): this {
    return this.op(0x22, ...uleb(l));
  }
  i32(v: number): this {
    return this.op(0x41, ...sleb(v));
  }
  f32(v: number): this {
    return this.op(0x43, ...new Uint8Array(new Float32Array([v]).buffer));
  }
  /** A SIMD instruction (prefix 0xfd) with its immediates. */
  simd(op: number, ...imm: number[]): this {
    return this.op(0xfd, ...uleb(op), ...imm);
  }
  /** v128.load / v128.store at the address on the stack + offset. */
  vload(offset = 0): this {
    return this.simd(0x00, 2, ...uleb(offset));
  }
  vstore(offset = 0): this {
    return this.simd(0x0b, 2, ...uleb(offset));
  }
  f32load(offset = 0): this {
    return this.op(0x2a, 2, ...uleb(offset));
  }
  f32store(offset = 0): this {
    return this.op(0x38, 2, ...uleb(offset));
  }
  /** local l += v (i32). */
  inc(l: number, v: number): this {
    return this.get(l).i32(v).op(0x6a).set(l);
  }
  /** block { loop { br_if exit (exitWhen); body; br loop } }. */
  loop(exitWhen: (c: this) => void, body: (c: this) => void): this {
    this.op(0x02, 0x40, 0x03, 0x40);
    exitWhen(this);
    this.op(0x0d, 1);
    body(this);
    return this.op(0x0c, 0, 0x0b, 0x0b);
  }
  /** for (i = from; i < end; i += step) body, with i and end i32 locals. */
  for(i: number, from: number, end: number, step: number, body: (c: this) => void): this {
    return this.i32(from).set(i).loop(
      (c) => c.get(i).get(end).op(0x4e), // i32.ge_s
      (c) => {
        body(c);
        c.inc(i, step);
      },
    );
  }
  /** for (r = 0; r < rows; r++) over rows of `rowBytes` bytes: body, then each pointer local in `advance` += rowBytes. */
  rows(r: number, rows: number, rowBytes: number, advance: number[], body: (c: this) => void): this {
    return this.for(r, 0, rows, 1, (c) => {
      body(c);
      for (const p of advance) c.get(p).get(rowBytes).op(0x6a).set(p);
    });
  }
  /** The four f32 lanes of the v128 in local l combined as (l0 ∘ l1) ∘ (l2 ∘ l3), ∘ a binary f32 opcode. */
  lanes(l: number, f32op: number): this {
    this.get(l).simd(0x1f, 0).get(l).simd(0x1f, 1).op(f32op);
    return this.get(l).simd(0x1f, 2).get(l).simd(0x1f, 3).op(f32op).op(f32op);
  }
}

/** Opcodes used with Code (core f32/i32 and f32x4 SIMD). */
export const OPS = {
  i32Add: 0x6a, i32Mul: 0x6c, i32Shl: 0x74, i32GeS: 0x4e, i32Eqz: 0x45,
  f32Add: 0x92, f32Sub: 0x93, f32Mul: 0x94, f32Div: 0x95, f32Max: 0x97, f32Sqrt: 0x91,
  f32x4Splat: 0x13, f32x4Add: 0xe4, f32x4Sub: 0xe5, f32x4Mul: 0xe6, f32x4Div: 0xe7, f32x4Max: 0xe9, f32x4Sqrt: 0xe3,
} as const;

/**
 * A module of one-memory functions: the memory imported as m.mem, each function exported under its name.
 * `params` and `locals` are value types (locals in groups as [count, type]).
 */
export function moduleOf(fns: { name: string; params: number[]; locals: [number, number][]; code: Code }[]): Uint8Array<ArrayBuffer> {
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(fns.map((f) => [0x60, ...uleb(f.params.length), ...f.params, 0]))),
    ...section(2, vec([[...str('m'), ...str('mem'), 0x02, 0x00, 1]])),
    ...section(3, vec(fns.map((_, i) => uleb(i)))),
    ...section(7, vec(fns.map((f, i) => [...str(f.name), 0x00, ...uleb(i)]))),
    ...section(10, vec(fns.map((f) => {
      const body = [...vec(f.locals.map(([n, t]) => [...uleb(n), t])), ...f.code.bytes, 0x0b];
      return [...uleb(body.length), ...body];
    }))),
  ]);
}

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
