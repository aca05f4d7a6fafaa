// How Kāra values are represented in wasm: the wasm type of each Kāra type, which values own
// heap memory, and the byte layout of aggregates in linear memory.
//
//  - Integers of 8..32 bits live in an i32, normalised (signed: sign-extended, unsigned:
//    zero-extended); 64-bit integers in an i64. bool/char are i32; f32/f64 as themselves.
//  - String, Vec, Array and Slice values are pointers to a 12-byte header {data, len, cap}.
//    A Slice header has cap 0 and points into someone else's data. Elements sit in slots of
//    their natural width (elemSlot): bool and u8/i8 take 1 byte, u16/i16 2 bytes, the rest
//    their wasm size. Map key and value columns are such element blocks too.
//  - Structs, tuples and enums with payloads are pointers to a heap block. Enums without
//    payloads (and not shared/par) are their tag in an i32.
//  - Function values are an i64: table index in the high half, environment in the low half.
//  - Atomic[T] is a pointer to an 8-byte cell holding a bare T; TaskGroup a pointer to its
//    record; TaskHandle the task record pointer.

import type { TEnumDef, TProgram, TStructDef, TVariantDef, Type } from "../tir/nodes.js";
import { showType } from "../tir/show-type.js";
import { f32, f64, i32, i64, none, wasmSize, type WType } from "./ir.js";

export const HDR = { DATA: 0, LEN: 4, CAP: 8, SIZE: 12 } as const;
/** Offset of the first payload field of a boxed enum (after the i32 tag). */
export const ENUM_PAYLOAD = 8;
/**
 * Header of a `shared` struct/enum object (a reference-counted handle, lower/rc.ts): the strong
 * count, stored as holders - 1 (so 0 = one holder, -1 = destroyed), and the number of `weak`
 * handles. Struct fields follow at RC_STRUCT_FIELDS; enum blocks keep their tag at 0, so their
 * counts follow it and the payload starts at RC_ENUM_PAYLOAD.
 */
export const RC_STRUCT = { STRONG: 0, WEAK: 4 } as const;
export const RC_ENUM = { STRONG: 4, WEAK: 8 } as const;
const RC_STRUCT_FIELDS = 8;
const RC_ENUM_PAYLOAD = 16;

/** How one element is stored in an element block: its width and how a load widens it. */
export interface ElemSlot {
  /** Bytes per element (at least 1, so element addresses stay distinct). */
  bytes: number;
  /** The wasm type of the value once loaded (none for value-less elements). */
  wasm: WType;
  /** Narrow loads sign-extend (i8/i16) rather than zero-extend. */
  signed: boolean;
}

export interface FieldSlot {
  offset: number;
  type: Type;
  wasm: WType;
}

export interface BlockLayout {
  size: number;
  fields: FieldSlot[];
}

export class Layouts {
  private readonly structCache = new Map<string, BlockLayout>();
  private readonly variantCache = new Map<string, BlockLayout[]>();

  constructor(readonly program: TProgram) {}

  struct(name: string): TStructDef {
    const d = this.program.structs.get(name);
    if (!d) throw new Error(`unknown struct ${name}`);
    return d;
  }

  enumDef(name: string): TEnumDef {
    const d = this.program.enums.get(name);
    if (!d) throw new Error(`unknown enum ${name}`);
    return d;
  }

  /**
   * Enums with a payload, with a user `Drop` (a value to destroy once, never a bare tag copied
   * around), and every shared/par enum, are heap blocks; others are a bare tag.
   */
  enumBoxed(name: string): boolean {
    const d = this.enumDef(name);
    return d.flavor !== "plain" || d.userDrop !== undefined || d.variants.some((v) => v.fields.length > 0);
  }

  wasm(t: Type): WType {
    switch (t.kind) {
      case "int":
        return t.bits === 64 ? i64 : i32;
      case "float":
        return t.bits === 64 ? f64 : f32;
      case "unit":
      case "never":
        return none;
      case "fn":
        return i64;
      default:
        return i32;
    }
  }

  size(t: Type): number {
    return wasmSize(this.wasm(t));
  }

  /** The element slot of t in a Vec/Array/Slice or a map column. */
  elem(t: Type): ElemSlot {
    const wasm = this.wasm(t);
    if (t.kind === "bool") return { bytes: 1, wasm, signed: false };
    if (t.kind === "int" && t.bits <= 16) return { bytes: t.bits / 8, wasm, signed: t.signed };
    return { bytes: Math.max(1, wasmSize(wasm)), wasm, signed: false };
  }

  /** Bytes per element of t in an element block. */
  elemBytes(t: Type): number {
    return this.elem(t).bytes;
  }

  /**
   * Values codegen frees when dropped and deep-copies on `copy`; everything else is a bit copy.
   * These are the checker's owned values (valueOwned) plus the copy-class values that live in
   * a heap block of their own (boxedCopy).
   */
  owned(t: Type): boolean {
    return this.valueOwned(t) || this.boxedCopy(t);
  }

  /**
   * Copy-class values (check/types.ts valueClass) that are still heap blocks: tuples of copy
   * values, slice headers and closures (whose environment is a block). The checker never moves
   * them, so every binding or stored copy gets its own block: reading one into an owning site
   * copies it, scope exit frees it. A by-value parameter of such a type is borrowed from the
   * caller instead (no copy per call, the callee never frees it).
   */
  boxedCopy(t: Type): boolean {
    // A `weak T` handle counts on its object too: copying one is a weak retain, dropping one a weak release.
    return ((t.kind === "tuple" || t.kind === "slice" || t.kind === "fn") && !this.valueOwned(t)) || this.isRc(t) || t.kind === "weak";
  }

  /**
   * `shared` structs and enums: reference-counted handles. Copying one counts a new holder,
   * dropping one releases it; the object is destroyed when the last holder goes (lower/rc.ts).
   * `par` types are shared across tasks and keep their objects for the whole run.
   */
  isRc(t: Type): boolean {
    if (t.kind === "struct") return this.struct(t.name).flavor === "shared";
    if (t.kind === "enum") return this.enumDef(t.name).flavor === "shared";
    return false;
  }

  /** Offsets of the strong and weak counts of a `shared` object. */
  rcHeader(t: Type): { STRONG: number; WEAK: number } {
    return t.kind === "enum" ? RC_ENUM : RC_STRUCT;
  }

  /** The checker's "owned" value class (mirrors check/types.ts valueClass). */
  valueOwned(t: Type): boolean {
    switch (t.kind) {
      case "string":
      case "vec":
      case "array":
      case "map":
      case "set":
      case "sender":
      case "receiver":
        return true;
      case "struct":
        return t.flavor === "plain";
      case "enum":
        return t.flavor === "plain" && this.enumBoxed(t.name);
      case "tuple":
        return t.elems.some((e) => this.valueOwned(e) || e.kind === "struct" || e.kind === "enum" && !this.isCopyEnum(e.name));
      default:
        return false;
    }
  }

  private isCopyEnum(name: string): boolean {
    const d = this.enumDef(name);
    return d.flavor === "plain" && !this.enumBoxed(name);
  }

  private blockOf(types: Type[], start: number): BlockLayout {
    let off = start;
    const fields: FieldSlot[] = [];
    for (const type of types) {
      const w = this.wasm(type);
      const sz = wasmSize(w);
      if (sz > 0) off = (off + sz - 1) & ~(sz - 1);
      fields.push({ offset: off, type, wasm: w });
      off += sz;
    }
    return { size: Math.max(8, (off + 7) & ~7), fields };
  }

  structLayout(name: string): BlockLayout {
    let l = this.structCache.get(name);
    if (!l) {
      const d = this.struct(name);
      l = this.blockOf(
        d.fields.map((f) => f.type),
        d.flavor === "shared" ? RC_STRUCT_FIELDS : 0,
      );
      this.structCache.set(name, l);
    }
    return l;
  }

  tupleLayout(elems: Type[]): BlockLayout {
    return this.blockOf(elems, 0);
  }

  variantLayouts(name: string): BlockLayout[] {
    let l = this.variantCache.get(name);
    if (!l) {
      const d = this.enumDef(name);
      const start = d.flavor === "shared" ? RC_ENUM_PAYLOAD : ENUM_PAYLOAD;
      l = d.variants.map((v: TVariantDef) => this.blockOf(v.fields.map((f) => f.type), start));
      this.variantCache.set(name, l);
    }
    return l;
  }

  enumBlockSize(name: string): number {
    return Math.max(8, ...this.variantLayouts(name).map((l) => l.size));
  }
}

/** A canonical string for a type, used to name per-type generated functions. */
export const typeKey = showType;
