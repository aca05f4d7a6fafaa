// `f64.parse(s)` / `f32.parse(s)` -> Option[float]. The host parses with Rust's `f64::from_str`
// grammar (the `f64_parse` import) into an 8-byte scratch block, which is freed right after.

import type { TExpr } from "../../tir/nodes.js";
import { f64, i32, none, type Ref } from "../ir.js";
import { HDR } from "../layout.js";
import { ALLOC, FREE } from "../runtime/alloc.js";
import { H } from "../runtime/names.js";
import { makeVariant } from "./variants.js";
import type { Lowerer } from "./lowerer.js";

export function lowerFloatParse(fl: Lowerer, e: TExpr & { kind: "builtin" }): Ref {
  const { m, ir } = fl;
  const lo = fl.locals;
  const t = e.typeArgs[0];
  const bits = t && t.kind === "float" ? t.bits : 64;
  const s = fl.tmp(i32);
  const out = fl.tmp(i32);
  const ok = fl.tmp(i32);
  const v = fl.tmp(f64);
  const S = () => ir.get(lo, s);
  const value = bits === 32 ? m.f32.demote(ir.get(lo, v)) : ir.get(lo, v);
  return m.block(
    null,
    [
      ir.set(s, fl.borrow(e.args[0])),
      ir.set(out, m.call(ALLOC, [ir.c32(8)], i32)),
      ir.set(ok, m.call(H.f64_parse, [ir.load32(S(), HDR.DATA), ir.load32(S(), HDR.LEN), ir.get(lo, out)], i32)),
      ir.set(v, ir.load(f64, ir.get(lo, out))),
      m.call(FREE, [ir.get(lo, out)], none),
      m.if(ir.get(lo, ok), makeVariant(fl, e.type, "Some", value), makeVariant(fl, e.type, "None")),
    ],
    i32,
  );
}
