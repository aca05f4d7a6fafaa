// Vec methods that reshape or copy a whole vector: `split_off` (moves the tail out),
// `extend_from_slice` (appends copies of a Vec's, array's or slice's elements) and the copying
// sorts `sorted_by` / `sorted_by_key`; also `get_unchecked` (an element read of a Vec or slice,
// allowed only inside `unsafe { .. }` as in karac).
// Called by builtin-methods/dispatch.ts for methods the sequence family does not know.

import type { Expr } from "../../syntax/ast.js";
import { asType, tyOf } from "../builder.js";
import { Codes } from "../codes.js";
import { type CheckContext, mk } from "../context.js";
import type { TExpr, TPlace } from "../../tir/nodes.js";
import { I64, UNIT, freshVar, resolve, show, unify, type Ty } from "../types.js";
import { closure, orderingTy, requireOrdered } from "./seq-algorithms.js";
import type { MethodSite } from "./site.js";
import { requireUnsafe } from "../unsafe-scope.js";

export function checkVecMore(c: CheckContext, e: Expr & { kind: "methodCall" }, rt: Ty, x: MethodSite): TExpr | undefined {
  const r = resolve(rt);
  if (r.kind !== "vec" && r.kind !== "array" && r.kind !== "slice") return undefined;
  const { m, args, span, fail } = x;
  const T = r.elem;
  const vecT: Ty = { kind: "vec", elem: T };
  switch (m) {
    case "sorted_by": {
      if (!x.arity(1)) return fail();
      const ord = orderingTy(c);
      const f = closure(c, args[0].value, { kind: "fn", params: [T, T], ret: ord });
      if (!f) return fail();
      return x.b("vec.sorted_by", x.asValue, [f], vecT, [T, ord]);
    }
    case "sorted_by_key": {
      if (!x.arity(1)) return fail();
      const K = freshVar();
      const f = closure(c, args[0].value, { kind: "fn", params: [T], ret: K });
      if (!f) return fail();
      requireOrdered(c, K, "sorted_by_key's key", args[0].value.span);
      return x.b("vec.sorted_by_key", x.asValue, [f], vecT, [T, K]);
    }
    case "get_unchecked": {
      // karac's unchecked read of a Vec or slice element (it reads out of range as undefined
      // behaviour); here it is the ordinary element read, so an index out of range panics as
      // `v[i]` does, and the element is copied out.
      if (r.kind === "array") return undefined;
      requireUnsafe(c, `${r.kind === "vec" ? "Vec" : "Slice"}.get_unchecked`, span);
      if (!x.arity(1)) return fail();
      const index = c.expectArg(args[0].value, I64);
      const place: TPlace = { kind: "index", base: x.place, index, coll: r.kind, type: asType(T), span };
      return mk({ kind: "read", place }, T, span);
    }
    case "split_off":
    case "extend_from_slice": {
      if (r.kind !== "vec") {
        c.err(Codes.NoMethod, `no method '${m}' on ${show(r)}${r.kind === "array" ? ": arrays have a fixed size" : ""}`, e.method.span);
        c.checkArgsLoose(args);
        return fail();
      }
      if (!x.arity(1)) return fail();
      x.mutRecv();
      if (m === "split_off") return x.b("vec.split_off", x.asPlace, [c.expectArg(args[0].value, I64)], vecT, [T]);
      // The source is only read: its elements are copied (a Vec, an array or a slice of T).
      const src = c.checkExpr(args[0].value);
      const st = resolve(tyOf(src.type));
      if (st.kind !== "vec" && st.kind !== "array" && st.kind !== "slice") {
        if (st.kind !== "error") c.err(Codes.Mismatch, `mismatched types: expected Vec[${show(T)}] or Slice[${show(T)}], found ${show(st)}`, args[0].value.span);
        return fail();
      }
      if (!unify(st.elem, T)) c.mismatch(T, st.elem, args[0].value.span);
      const copy = mk({ kind: "builtin", op: "vec.from_slice", args: [src], typeArgs: [asType(T)] }, vecT, args[0].value.span);
      return x.b("vec.extend", x.asPlace, [copy], UNIT, [T]);
    }
  }
  return undefined;
}
