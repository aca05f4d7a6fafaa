// Methods of Map and Set receivers.

import type { TExpr } from "../../tir/nodes.js";
import { BOOL, I64, UNIT, unify, type Ty } from "../types.js";
import { type CheckContext, T } from "../context.js";
import type { MethodSite } from "./site.js";

/** Map methods. */
export function checkMapMethod(cx: CheckContext, s: MethodSite, rt: Extract<Ty, { kind: "map" }>): TExpr | undefined {
  const { m, args, asValue, asPlace, b, arity, mutRecv, fail } = s;
  const K = rt.key;
  const V = rt.value;
  const key = (i: number): TExpr => {
    const v = cx.checkExpr(args[i].value, K);
    if (!unify(T(v), K)) cx.mismatch(K, T(v), args[i].value.span);
    return v;
  };
  const ta = [K, V];
  switch (m) {
    case "insert": {
      if (!arity(2)) return fail();
      mutRecv();
      const k = cx.own(key(0));
      const v = cx.coerce(cx.own(cx.checkExpr(args[1].value, V)), V, args[1].value.span);
      return b("map.insert", asPlace, [k, v], cx.optionOf(V), ta);
    }
    case "get":
      if (!arity(1)) return fail();
      return b("map.get", asValue, [key(0)], cx.optionOf(V), ta);
    case "get_or": {
      if (!arity(2)) return fail();
      const k = key(0);
      const d = cx.coerce(cx.own(cx.checkExpr(args[1].value, V)), V, args[1].value.span);
      return b("map.get_or", asValue, [k, d], V, ta);
    }
    case "contains_key":
      if (!arity(1)) return fail();
      return b("map.contains_key", asValue, [key(0)], BOOL, ta);
    case "remove":
      if (!arity(1)) return fail();
      mutRecv();
      return b("map.remove", asPlace, [key(0)], cx.optionOf(V), ta);
    case "len":
      if (!arity(0)) return fail();
      return b("map.len", asValue, [], I64, ta);
    case "is_empty":
      if (!arity(0)) return fail();
      return b("map.is_empty", asValue, [], BOOL, ta);
    case "clear":
      if (!arity(0)) return fail();
      mutRecv();
      return b("map.clear", asPlace, [], UNIT, ta);
    case "keys":
      if (!arity(0)) return fail();
      return b("map.keys", asValue, [], { kind: "vec", elem: K }, ta);
    case "values":
      if (!arity(0)) return fail();
      return b("map.values", asValue, [], { kind: "vec", elem: V }, ta);
  }
  return undefined;
}

/** Set methods. */
export function checkSetMethod(cx: CheckContext, s: MethodSite, rt: Extract<Ty, { kind: "set" }>): TExpr | undefined {
  const { m, args, asValue, asPlace, b, arity, mutRecv, fail } = s;
  const X = rt.elem;
  const elemArg = (): TExpr => {
    const v = cx.checkExpr(args[0].value, X);
    if (!unify(T(v), X)) cx.mismatch(X, T(v), args[0].value.span);
    return v;
  };
  switch (m) {
    case "insert":
      if (!arity(1)) return fail();
      mutRecv();
      return b("set.insert", asPlace, [cx.own(elemArg())], BOOL, [X]);
    case "contains":
      if (!arity(1)) return fail();
      return b("set.contains", asValue, [elemArg()], BOOL, [X]);
    case "remove":
      if (!arity(1)) return fail();
      mutRecv();
      return b("set.remove", asPlace, [elemArg()], BOOL, [X]);
    case "len":
      if (!arity(0)) return fail();
      return b("set.len", asValue, [], I64, [X]);
    case "is_empty":
      if (!arity(0)) return fail();
      return b("set.is_empty", asValue, [], BOOL, [X]);
    case "clear":
      if (!arity(0)) return fail();
      mutRecv();
      return b("set.clear", asPlace, [], UNIT, [X]);
    case "union":
    case "intersection":
    case "difference": {
      if (!arity(1)) return fail();
      const other = cx.checkExpr(args[0].value, rt);
      if (!unify(T(other), rt)) cx.mismatch(rt, T(other), args[0].value.span);
      return b(`set.${m}`, asValue, [other], rt, [X]);
    }
  }
  return undefined;
}
