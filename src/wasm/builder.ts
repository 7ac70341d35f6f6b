/**
 * The builder every generated module is written with (kernels/): a module of functions over one imported
 * memory, and function bodies as instruction lists with named locals.
 *
 *   const f = new FunctionBuilder('scale', ['i32', 'i32', 'f32']);
 *   const [ptr, n, k] = f.params;
 *   const i = f.local('i32');
 *   f.for(i, 0, n, 4, () => f.get(ptr).get(i).op(OP.i32Add)…);
 *   const bytes = wasmModule([f]);
 *
 * Each instruction method appends one instruction (or a short fixed sequence) and returns the builder, so a
 * body reads as its instruction list. Locals get their indices in the order they are asked for, after the
 * parameters; they are declared in runs of one type, in that order. Opcodes: opcodes.ts.
 */
import { f32Bytes, section, sleb, str, uleb, vec } from './encoding.ts';
import { EMPTY, OP, SIMD, T, type ValType } from './opcodes.ts';

export class FunctionBuilder {
  readonly bytes: number[] = [];
  /** The parameters' local indices, 0 … params − 1. */
  readonly params: number[];
  private readonly localTypes: ValType[] = [];

  constructor(
    /** The name the module exports the function under. */
    readonly name: string,
    readonly paramTypes: readonly ValType[],
    readonly resultTypes: readonly ValType[] = [],
  ) {
    this.params = paramTypes.map((_, i) => i);
  }

  /** A new local of type `type`; its index. */
  local(type: ValType): number {
    this.localTypes.push(type);
    return this.paramTypes.length + this.localTypes.length - 1;
  }

  /** `count` new locals of one type. */
  locals(type: ValType, count: number): number[] {
    return Array.from({ length: count }, () => this.local(type));
  }

  /** Raw bytes: an opcode of opcodes.ts's OP, with its one-byte immediates if any. */
  op(...b: number[]): this {
    this.bytes.push(...b);
    return this;
  }
  get(l: number): this {
    return this.op(OP.localGet, ...uleb(l));
  }
  set(l: number): this {
    return this.op(OP.localSet, ...uleb(l));
  }
  tee(l: number): this {
    return this.op(OP.localTee, ...uleb(l));
  }
  i32(v: number): this {
    return this.op(OP.i32Const, ...sleb(v));
  }
  f32(v: number): this {
    return this.op(OP.f32Const, ...f32Bytes(v));
  }
  /** A SIMD instruction (prefix 0xfd, then SIMD's number) with its immediates. */
  simd(op: number, ...imm: number[]): this {
    return this.op(0xfd, ...uleb(op), ...imm);
  }
  /** v128.const of 16 bytes. */
  v128(bytes: ArrayLike<number>): this {
    return this.simd(SIMD.v128Const, ...Array.from(bytes));
  }
  /**
   * A core load or store at the address on the stack + offset; align is log2 of the alignment the code
   * promises, a hint only: 2 (4 bytes) by default, also for v128, whose addresses here are not always
   * 16-byte aligned.
   */
  mem(op: number, offset = 0, align = 2): this {
    return this.op(op, align, ...uleb(offset));
  }
  /** A SIMD load or store at the address on the stack + offset, then a lane index for the lane forms. */
  vmem(op: number, offset = 0, align = 2, ...lane: number[]): this {
    return this.simd(op, align, ...uleb(offset), ...lane);
  }
  vload(offset = 0, align = 2): this {
    return this.vmem(SIMD.v128Load, offset, align);
  }
  vstore(offset = 0, align = 2): this {
    return this.vmem(SIMD.v128Store, offset, align);
  }
  f32load(offset = 0): this {
    return this.mem(OP.f32Load, offset);
  }
  f32store(offset = 0): this {
    return this.mem(OP.f32Store, offset);
  }

  /** local l += v (i32). */
  inc(l: number, v: number): this {
    return this.get(l).i32(v).op(OP.i32Add).set(l);
  }
  /** block { loop { br_if exit (exitWhen); body; br loop } }. */
  loop(exitWhen: (c: this) => void, body: (c: this) => void): this {
    this.op(OP.block, EMPTY, OP.loop, EMPTY);
    exitWhen(this);
    this.op(OP.brIf, 1);
    body(this);
    return this.op(OP.br, 0, OP.end, OP.end);
  }
  /** for (i = from; i < end; i += step) body, with i and end i32 locals. */
  for(i: number, from: number, end: number, step: number, body: (c: this) => void): this {
    return this.i32(from)
      .set(i)
      .loop(
        (c) => c.get(i).get(end).op(OP.i32GeS),
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
      for (const p of advance) c.get(p).get(rowBytes).op(OP.i32Add).set(p);
    });
  }
  /** The four f32 lanes of the v128 in local l combined as (l0 ∘ l1) ∘ (l2 ∘ l3), ∘ a binary f32 opcode. */
  lanes(l: number, f32op: number): this {
    const lane = (k: number) => this.get(l).simd(SIMD.f32x4ExtractLane, k);
    lane(0);
    lane(1).op(f32op);
    lane(2);
    return lane(3).op(f32op).op(f32op);
  }

  /** The function's entry in the code section: its size, its locals (runs of one type), the body, end. */
  code(): number[] {
    const runs: [number, ValType][] = [];
    for (const t of this.localTypes) {
      const last = runs[runs.length - 1];
      if (last && last[1] === t) last[0]++;
      else runs.push([1, t]);
    }
    const body = [...vec(runs.map(([n, t]) => [...uleb(n), T[t]])), ...this.bytes, OP.end];
    return [...uleb(body.length), ...body];
  }
}

/**
 * A module of functions over one memory, imported as m.mem (so JavaScript owns it and keeps its views),
 * each function exported under its name; one function type per function.
 */
export function wasmModule(fns: FunctionBuilder[]): Uint8Array<ArrayBuffer> {
  const types = (ts: readonly ValType[]) => vec(ts.map((t) => [T[t]]));
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, vec(fns.map((f) => [0x60, ...types(f.paramTypes), ...types(f.resultTypes)]))),
    ...section(2, vec([[...str('m'), ...str('mem'), 0x02, 0x00, 1]])),
    ...section(3, vec(fns.map((_, i) => uleb(i)))),
    ...section(7, vec(fns.map((f, i) => [...str(f.name), 0x00, ...uleb(i)]))),
    ...section(10, vec(fns.map((f) => f.code()))),
  ]);
}
