// Building Option/Result-style enum values from inside a lowering: the variant is named, and its
// one payload (if any) is an already-lowered value.

import type { Type } from "../../tir/nodes.js";
import { i32, none, type Ref } from "../ir.js";
import { ALLOC } from "../runtime/alloc.js";
import { CodegenError } from "./errors.js";
import type { Lowerer } from "./lowerer.js";

export function variantIndex(fl: Lowerer, t: Type, name: string): number {
  if (t.kind !== "enum") throw new CodegenError(`expected an Option/Result type, got ${t.kind}`);
  const k = fl.g.layouts.enumDef(t.name).variants.findIndex((v) => v.name === name);
  if (k < 0) throw new CodegenError(`enum ${t.name} has no variant ${name}`);
  return k;
}

/** Build a boxed enum value with one payload field (or none). */
export function makeVariant(fl: Lowerer, t: Type, name: string, payload?: Ref): Ref {
  const { m, ir, g } = fl;
  if (t.kind !== "enum") throw new CodegenError("variant of a non-enum");
  const k = variantIndex(fl, t, name);
  if (!g.layouts.enumBoxed(t.name)) return ir.c32(k);
  const p = fl.tmp(i32);
  const lay = g.layouts.variantLayouts(t.name)[k];
  const out: Ref[] = [];
  let pv = -1;
  const f = lay.fields[0];
  if (payload !== undefined && f && f.wasm !== none) {
    pv = fl.tmp(f.wasm);
    out.push(ir.set(pv, payload));
  } else if (payload !== undefined) out.push(fl.stmtize(payload));
  out.push(ir.set(p, m.call(ALLOC, [ir.c32(g.layouts.enumBlockSize(t.name))], i32)), ir.store32(ir.get(fl.locals, p), ir.c32(k)));
  if (pv >= 0) out.push(ir.store(f.wasm, ir.get(fl.locals, p), ir.get(fl.locals, pv), f.offset));
  out.push(ir.get(fl.locals, p));
  return m.block(null, out, i32);
}

