// A thin layer over Binaryen: typed local allocation for one function under construction,
// plus a few expression shorthands used everywhere in codegen.

import binaryen from "binaryen";

export type Ref = binaryen.ExpressionRef;
export type WType = binaryen.Type;

export const i32 = binaryen.i32;
export const i64 = binaryen.i64;
export const f32 = binaryen.f32;
export const f64 = binaryen.f64;
export const none = binaryen.none;
export const unreachableT = binaryen.unreachable;

/** The one memory every generated module imports. */
export const MEM = "mem";
/** The function table holding task functions, closures and function values. */
export const TABLE = "tbl";

/** The storage shape of one element (layout.ts ElemSlot). */
export interface SlotShape {
  bytes: number;
  wasm: WType;
  signed: boolean;
}

/** Locals of a function being built: params first, then vars added on demand. */
export class Locals {
  readonly types: WType[];
  private readonly nParams: number;

  constructor(params: WType[]) {
    this.types = [...params];
    this.nParams = params.length;
  }

  add(type: WType): number {
    this.types.push(type);
    return this.types.length - 1;
  }

  varTypes(): WType[] {
    return this.types.slice(this.nParams);
  }

  type(i: number): WType {
    return this.types[i];
  }
}

/** Expression shorthands bound to one module. */
export class Ir {
  constructor(readonly m: binaryen.Module) {}

  c32(v: number): Ref {
    return this.m.i32.const(v | 0);
  }
  c64(v: bigint | number): Ref {
    return this.m.i64.const(typeof v === "bigint" ? BigInt.asIntN(64, v) : BigInt(v));
  }
  get(l: Locals, i: number): Ref {
    return this.m.local.get(i, l.type(i));
  }
  set(i: number, v: Ref): Ref {
    return this.m.local.set(i, v);
  }
  tee(l: Locals, i: number, v: Ref): Ref {
    return this.m.local.tee(i, v, l.type(i));
  }
  load32(ptr: Ref, offset = 0): Ref {
    return unsignedLoad(this.m.i32.load(offset, 4, ptr, MEM));
  }
  store32(ptr: Ref, value: Ref, offset = 0): Ref {
    return this.m.i32.store(offset, 4, ptr, value, MEM);
  }
  load64(ptr: Ref, offset = 0): Ref {
    return unsignedLoad(this.m.i64.load(offset, 8, ptr, MEM));
  }
  store64(ptr: Ref, value: Ref, offset = 0): Ref {
    return this.m.i64.store(offset, 8, ptr, value, MEM);
  }
  /** Load a value of wasm type t stored at ptr+offset. */
  load(t: WType, ptr: Ref, offset = 0): Ref {
    if (t === i32) return unsignedLoad(this.m.i32.load(offset, 4, ptr, MEM));
    if (t === i64) return unsignedLoad(this.m.i64.load(offset, 8, ptr, MEM));
    if (t === f32) return this.m.f32.load(offset, 4, ptr, MEM);
    if (t === f64) return this.m.f64.load(offset, 8, ptr, MEM);
    throw new Error("load of a value-less type");
  }
  store(t: WType, ptr: Ref, value: Ref, offset = 0): Ref {
    if (t === i32) return this.m.i32.store(offset, 4, ptr, value, MEM);
    if (t === i64) return this.m.i64.store(offset, 8, ptr, value, MEM);
    if (t === f32) return this.m.f32.store(offset, 4, ptr, value, MEM);
    if (t === f64) return this.m.f64.store(offset, 8, ptr, value, MEM);
    throw new Error("store of a value-less type");
  }
  /** Load an element stored in `slot` (narrow slots widen to a normalised i32). */
  loadSlot(slot: SlotShape, ptr: Ref, offset = 0): Ref {
    const m = this.m;
    if (slot.bytes === 1 && slot.wasm === i32) return (slot.signed ? m.i32.load8_s : m.i32.load8_u)(offset, 1, ptr, MEM);
    if (slot.bytes === 2 && slot.wasm === i32) return (slot.signed ? m.i32.load16_s : m.i32.load16_u)(offset, 2, ptr, MEM);
    return this.load(slot.wasm, ptr, offset);
  }
  /** Store an element into `slot`, truncating to its width. */
  storeSlot(slot: SlotShape, ptr: Ref, value: Ref, offset = 0): Ref {
    const m = this.m;
    if (slot.bytes === 1 && slot.wasm === i32) return m.i32.store8(offset, 1, ptr, value, MEM);
    if (slot.bytes === 2 && slot.wasm === i32) return m.i32.store16(offset, 2, ptr, value, MEM);
    return this.store(slot.wasm, ptr, value, offset);
  }
  call(name: string, args: Ref[], result: WType): Ref {
    return this.m.call(name, args, result);
  }
  block(children: Ref[], type: WType = none, label: string | null = null): Ref {
    return this.m.block(label, children, type);
  }
  if(cond: Ref, then: Ref, els?: Ref): Ref {
    return this.m.if(cond, then, els);
  }
  nop(): Ref {
    return this.m.nop();
  }
  /**
   * Address of slot `index` (an i32) in an element block at `data` whose slots are `elemSize`
   * bytes: `data + index * elemSize`, unchecked. Callers either know the index is in range or
   * check it first (boundsChecked).
   */
  elemAt(data: Ref, index: Ref, elemSize: number): Ref {
    const m = this.m;
    if (elemSize === 1) return m.i32.add(data, index);
    const shift = Math.log2(elemSize);
    const scaled = Number.isInteger(shift) ? m.i32.shl(index, this.c32(shift)) : m.i32.mul(index, this.c32(elemSize));
    return m.i32.add(data, scaled);
  }

  /** elemAt for an element size known only at run time (an i32 expression). */
  elemAtDynamic(data: Ref, index: Ref, elemSize: Ref): Ref {
    return this.m.i32.add(data, this.m.i32.mul(index, elemSize));
  }

  /**
   * elemAt with the bounds check inline: `index` (an i64 local's value) must be below the
   * header's length, otherwise `fail` (a panic) runs. `hdr` and `index` are read more than once,
   * so they must be cheap, side-effect-free reads (local.get).
   */
  boundsChecked(hdr: () => Ref, index: () => Ref, elemSize: number, fail: Ref, lenOffset: number, dataOffset: number): Ref {
    const m = this.m;
    return m.block(
      null,
      [
        m.if(m.i64.ge_u(index(), m.i64.extend_u(this.load32(hdr(), lenOffset))), fail),
        this.elemAt(this.load32(hdr(), dataOffset), m.i32.wrap(index()), elemSize),
      ],
      i32,
    );
  }

  /** Zero of a wasm type. */
  zero(t: WType): Ref {
    if (t === i64) return this.m.i64.const(0n);
    if (t === f32) return this.m.f32.const(0);
    if (t === f64) return this.m.f64.const(0);
    return this.m.i32.const(0);
  }
}

/**
 * Binaryen.js creates full-width loads with the "signed" flag set, and its optimiser then folds
 * `i64.extend_i32_u(i32.load ..)` into `i64.load32_s`. A full-width load has no signedness, so
 * clear the flag.
 */
function unsignedLoad(r: Ref): Ref {
  (binaryen as unknown as { Load: { setSigned(e: Ref, s: boolean): void } }).Load.setSigned(r, false);
  return r;
}

export function wasmSize(t: WType): number {
  if (t === i64 || t === f64) return 8;
  if (t === i32 || t === f32) return 4;
  return 0;
}
