// Methods of a range value (`let r = 0..n; r.contains(x)`). A range value is the tuple of its two
// bounds (check/types.ts zonk); `a..b` and `a..=b` have separate ops, so the op tells whether the
// upper bound belongs to the range. Bounds are integers or chars, compared by their type's order.

import type { TExpr } from "../../tir/nodes.js";
import { i32, i64, type Ref } from "../ir.js";
import { CodegenError } from "./errors.js";
import type { Lowerer } from "./lowerer.js";
import { recv } from "./receiver.js";
import { cmpValue } from "./typeops.js";

type BuiltinExpr = Extract<TExpr, { kind: "builtin" }>;

const RANGE_OPS = new Set(["contains", "len", "is_empty"]);

export function lowerRangeOp(fl: Lowerer, e: BuiltinExpr): Ref | undefined {
  const dot = e.op.indexOf(".");
  const family = e.op.slice(0, dot);
  const method = e.op.slice(dot + 1);
  if ((family !== "range" && family !== "range_inclusive") || !RANGE_OPS.has(method)) return undefined;
  const inclusive = family === "range_inclusive";
  const { m, ir, g, L } = fl;
  const lo = fl.locals;
  const t = e.typeArgs[0];
  const w = L.wasm(t);
  if (w !== i32 && w !== i64) throw new CodegenError(`range of ${t.kind} values`, e.span);
  const lay = L.tupleLayout([t, t]);
  const pair = fl.tmp(i32);
  const start = () => ir.load(w, ir.get(lo, pair), lay.fields[0].offset);
  const end = () => ir.load(w, ir.get(lo, pair), lay.fields[1].offset);
  const setPair = ir.set(pair, recv(fl, e.receiver));
  // lo..hi is empty when hi <= lo; lo..=hi when hi < lo.
  const empty = () => (inclusive ? m.i32.gt_s(cmpValue(g, t, start(), end()), ir.c32(0)) : m.i32.ge_s(cmpValue(g, t, start(), end()), ir.c32(0)));
  switch (method) {
    case "contains": {
      const x = fl.tmp(w);
      const upper = cmpValue(g, t, ir.get(lo, x), end());
      const below = inclusive ? m.i32.le_s(upper, ir.c32(0)) : m.i32.lt_s(upper, ir.c32(0));
      const above = m.i32.le_s(cmpValue(g, t, start(), ir.get(lo, x)), ir.c32(0));
      return m.block(null, [setPair, ir.set(x, fl.expr(e.args[0])), m.if(above, below, ir.c32(0))], i32);
    }
    case "is_empty":
      return m.block(null, [setPair, empty()], i32);
    case "len": {
      // The count as i64: hi - lo (+ 1 for ..=), each bound widened by its type's signedness.
      const signed = t.kind === "int" && t.signed;
      const wide = (v: Ref): Ref => (w === i64 ? v : signed ? m.i64.extend_s(v) : m.i64.extend_u(v));
      const span = m.i64.sub(wide(end()), wide(start()));
      return m.block(null, [setPair, m.if(empty(), ir.c64(0), inclusive ? m.i64.add(span, ir.c64(1)) : span)], i64);
    }
  }
  return undefined;
}

