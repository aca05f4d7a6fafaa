// Methods of Vec, array, slice and range receivers.

import { Codes } from "../codes.js";
import { requireEquatable, satisfiesBound } from "../trait-bounds.js";
import type { BuiltinOp, TExpr } from "../../tir/nodes.js";
import { BOOL, I64, STRING, UNIT, isIntLike, resolve, show, unify, type Ty } from "../types.js";
import { type CheckContext, mk, T } from "../context.js";
import type { MethodSite } from "./site.js";
import { checkDequeMethod } from "./deque.js";
import { checkIteratorMethod } from "./iterators.js";

/** Vec, array and slice methods; the mutating ones need a Vec (a `mut Slice` may sort, swap and reverse). */
export function checkSeqMethod(cx: CheckContext, s: MethodSite, rt: Extract<Ty, { kind: "vec" | "array" | "slice" }>): TExpr | undefined {
  const { e, m, span, args, asValue, asPlace, b, arity, mutRecv, fail } = s;
  const elem = rt.elem;
  const k = rt.kind;
  if (rt.kind === "vec" && rt.iter) return checkIteratorMethod(cx, s, rt);
  if (rt.kind === "vec" && rt.deque) {
    const d = checkDequeMethod(cx, s, rt);
    if (d) return d;
  }
  const mutating = ["push", "pop", "insert", "remove", "clear", "truncate", "reverse", "sort", "swap", "extend"];
  if (k !== "vec" && mutating.includes(m) && !(k === "slice" && rt.mut && (m === "sort" || m === "swap" || m === "reverse"))) {
    cx.err(Codes.NoMethod, `no method '${m}' on ${show(rt)}${k === "array" ? ": arrays have a fixed size" : ""}`, e.method.span);
    cx.checkArgsLoose(args);
    return fail();
  }
  switch (m) {
    case "len":
      if (!arity(0)) return fail();
      return b(`${k}.len` as BuiltinOp, asValue, [], I64, [elem]);
    case "is_empty":
      if (!arity(0)) return fail();
      return b("vec.is_empty", asValue, [], BOOL, [elem]);
    case "push": {
      if (!arity(1)) return fail();
      mutRecv();
      const v = cx.coerce(cx.own(cx.checkExpr(args[0].value, elem)), elem, args[0].value.span);
      return b("vec.push", asPlace, [v], UNIT, [elem]);
    }
    case "pop":
      if (!arity(0)) return fail();
      mutRecv();
      return b("vec.pop", asPlace, [], cx.optionOf(elem), [elem]);
    case "get": {
      if (!arity(1)) return fail();
      const i = cx.expectArg(args[0].value, I64);
      return b(`${k === "vec" ? "vec" : k}.get` as BuiltinOp, asValue, [i], cx.optionOf(elem), [elem]);
    }
    case "first":
    case "last":
      if (!arity(0)) return fail();
      return b(`vec.${m}`, asValue, [], cx.optionOf(elem), [elem]);
    case "contains": {
      if (!arity(1)) return fail();
      const v = cx.checkExpr(args[0].value, elem);
      if (!unify(T(v), elem)) cx.mismatch(elem, T(v), args[0].value.span);
      requireEquatable(cx, elem, "contains", span);
      return b(k === "array" ? "array.contains" : "vec.contains", asValue, [v], BOOL, [elem]);
    }
    case "insert": {
      if (!arity(2)) return fail();
      mutRecv();
      const i = cx.expectArg(args[0].value, I64);
      const v = cx.coerce(cx.own(cx.checkExpr(args[1].value, elem)), elem, args[1].value.span);
      return b("vec.insert", asPlace, [i, v], UNIT, [elem]);
    }
    case "remove": {
      if (!arity(1)) return fail();
      mutRecv();
      return b("vec.remove", asPlace, [cx.expectArg(args[0].value, I64)], elem, [elem]);
    }
    case "swap": {
      if (!arity(2)) return fail();
      mutRecv();
      return b("vec.swap", asPlace, [cx.expectArg(args[0].value, I64), cx.expectArg(args[1].value, I64)], UNIT, [elem]);
    }
    case "truncate": {
      if (!arity(1)) return fail();
      mutRecv();
      return b("vec.truncate", asPlace, [cx.expectArg(args[0].value, I64)], UNIT, [elem]);
    }
    case "clear":
    case "reverse":
      if (!arity(0)) return fail();
      mutRecv();
      return b(`vec.${m}`, asPlace, [], UNIT, [elem]);
    case "sort": {
      if (!arity(0)) return fail();
      mutRecv();
      cx.deferred.push(() => {
        const el = resolve(elem);
        if (el.kind === "float") cx.err(Codes.BadOperand, `cannot sort ${show(rt)}: f64 has no total order; wrap values with F64.from`, span);
        else if (!satisfiesBound(cx.table, "Ord", el)) cx.err(Codes.BadOperand, `cannot sort ${show(rt)}: ${show(el)} is not Ord; add #[derive(PartialEq, Eq, PartialOrd, Ord)] or impl Ord`, span);
      });
      return b("vec.sort", asPlace, [], UNIT, [elem]);
    }
    case "extend": {
      if (!arity(1)) return fail();
      mutRecv();
      const v = cx.checkExpr(args[0].value, { kind: "vec", elem });
      if (!unify(T(v), { kind: "vec", elem })) cx.mismatch({ kind: "vec", elem }, T(v), args[0].value.span);
      return b("vec.extend", asPlace, [cx.own(v)], UNIT, [elem]);
    }
    case "join": {
      if (!arity(1)) return fail();
      if (!unify(elem, STRING)) {
        cx.err(Codes.NoMethod, `join is only available on Vec[String], found ${show(rt)}`, e.method.span);
        return fail();
      }
      return b("vec.join", asValue, [cx.expectArg(args[0].value, STRING)], STRING, [elem]);
    }
    case "clone":
    case "to_vec":
      if (!arity(0)) return fail();
      return b("vec.clone", asValue, [], { kind: "vec", elem }, [elem]);
    case "as_slice":
    case "as_slice_mut":
    case "as_mut_slice": {
      // A view of the whole sequence; the writable one needs a writable receiver.
      if (!arity(0)) return fail();
      const writable = m !== "as_slice";
      if (writable && !(k === "slice" && rt.mut)) mutRecv();
      const place = asPlace.kind === "place" ? asPlace.place : s.place;
      const base = mk({ kind: "read", place }, rt, e.receiver.span);
      return mk({ kind: "slice", base, inclusive: false }, { kind: "slice", elem, mut: writable }, span);
    }
  }
  return undefined;
}

/** `(a..b).sum()`; other range adaptors only in a `for` head. */
export function checkRangeMethod(cx: CheckContext, s: MethodSite, rt: Extract<Ty, { kind: "range" }>): TExpr | undefined {
  const { e, m, args, asValue, b, arity, fail } = s;
  if (m === "sum") {
    if (!arity(0)) return fail();
    if (!isIntLike(rt.elem)) return undefined;
    return b("range.sum", asValue, [], rt.elem, [rt.elem]);
  }
  if (m === "rev" || m === "step_by") {
    cx.err(Codes.Unsupported, `range adaptor '${m}' is only supported directly in a for loop head`, e.method.span);
    cx.checkArgsLoose(args);
    return fail();
  }
  return undefined;
}
