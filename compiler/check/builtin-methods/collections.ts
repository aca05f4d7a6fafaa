// Methods of Map and Set receivers (SortedMap and SortedSet are a Map and a Set marked `sorted`,
// with the ordered queries below), and the constructors of VecDeque, SortedMap and SortedSet.

import type { Expr, Span } from "../../syntax/ast.js";
import { asType } from "../builder.js";
import { Codes } from "../codes.js";
import { isOrdered } from "../trait-bounds.js";
import type { BuiltinOp, TExpr } from "../../tir/nodes.js";
import { BOOL, ERROR, I64, UNIT, freshVar, resolve, show, unify, type Ty } from "../types.js";
import { type CheckContext, mk, T } from "../context.js";
import type { MethodSite } from "./site.js";

/** A SortedMap key / SortedSet element needs a total order (karac's `Ord` bound). */
export function requireOrdKey(cx: CheckContext, t: Ty, what: "SortedMap" | "SortedSet", span: Span): void {
  cx.deferred.push(() => {
    if (isOrdered(cx.table, t)) return;
    const r = resolve(t);
    const part = what === "SortedMap" ? "key" : "element";
    cx.err(Codes.BadOperand, `${what}[${show(r)}${what === "SortedMap" ? ", ..." : ""}]: ${part} type ${show(r)} is not Ord; use integers, bool, char, String or a type with #[derive(Ord)]`, span);
  });
}

/**
 * `VecDeque.new()`, `VecDeque.with_capacity(n)`, `VecDeque.from(v)`, `SortedMap.new()`,
 * `SortedSet.new()`, `Vec.from_slice(s)`; undefined for other names.
 */
export function checkCollectionConstructor(cx: CheckContext, typeName: string, e: Expr & { kind: "methodCall" }, exp?: Ty): TExpr | undefined {
  const span = e.span;
  const key = `${typeName}.${e.method.name}`;
  const b = (op: BuiltinOp, args: TExpr[], ty: Ty, typeArgs: Ty[] = []): TExpr => mk({ kind: "builtin", op, args, typeArgs: typeArgs.map(asType) }, ty, span);
  const arity = (n: number): boolean => {
    if (e.args.length === n) return true;
    cx.err(Codes.ArgCount, `${key} takes ${n} argument${n === 1 ? "" : "s"} but ${e.args.length} were supplied`, span);
    cx.checkArgsLoose(e.args);
    return false;
  };
  const ex = exp ? resolve(exp) : undefined;
  switch (key) {
    case "VecDeque.new":
    case "VecDeque.with_capacity": {
      const elem = ex && ex.kind === "vec" ? ex.elem : freshVar();
      const ty: Ty = { kind: "vec", elem, deque: true };
      if (!arity(key.endsWith("new") ? 0 : 1)) return b("deque.new", [], ERROR);
      // The capacity is a hint only; it is checked and evaluated for its effects.
      const hint = key.endsWith("new") ? [] : [cx.coerce(cx.checkExpr(e.args[0].value, I64), I64, e.args[0].value.span)];
      return b("deque.new", hint, ty, [elem]);
    }
    case "VecDeque.from": {
      if (!arity(1)) return b("deque.from", [], ERROR);
      const elem = ex && ex.kind === "vec" ? ex.elem : freshVar();
      const want: Ty = { kind: "vec", elem };
      const v = cx.checkExpr(e.args[0].value, want);
      if (!unify(T(v), want)) cx.mismatch(want, T(v), e.args[0].value.span);
      return b("deque.from", [cx.own(v)], { kind: "vec", elem, deque: true }, [elem]);
    }
    case "SortedMap.new": {
      if (!arity(0)) return b("sortedmap.new", [], ERROR);
      const t: Ty = ex && ex.kind === "map" && ex.sorted ? ex : { kind: "map", key: freshVar(), value: freshVar(), sorted: true };
      const m = t as Extract<Ty, { kind: "map" }>;
      requireOrdKey(cx, m.key, "SortedMap", span);
      return b("sortedmap.new", [], t, [m.key, m.value]);
    }
    case "SortedSet.new": {
      if (!arity(0)) return b("sortedset.new", [], ERROR);
      const t: Ty = ex && ex.kind === "set" && ex.sorted ? ex : { kind: "set", elem: freshVar(), sorted: true };
      const st = t as Extract<Ty, { kind: "set" }>;
      requireOrdKey(cx, st.elem, "SortedSet", span);
      return b("sortedset.new", [], t, [st.elem]);
    }
    case "Vec.from_slice": {
      if (!arity(1)) return b("vec.from_slice", [], ERROR);
      const v = cx.checkExpr(e.args[0].value);
      const r = resolve(T(v));
      if (r.kind !== "vec" && r.kind !== "array" && r.kind !== "slice") {
        if (r.kind !== "error") cx.err(Codes.Mismatch, `mismatched types: Vec.from_slice expects a slice, found ${show(r)}`, e.args[0].value.span);
        return b("vec.from_slice", [], ERROR);
      }
      if (ex && ex.kind === "vec" && !unify(ex.elem, r.elem)) cx.mismatch(ex, { kind: "vec", elem: r.elem }, span);
      return b("vec.from_slice", [v], { kind: "vec", elem: r.elem }, [r.elem]);
    }
  }
  return undefined;
}

/**
 * `min` / `first` and `max` / `last` of a SortedMap (entries) or SortedSet (members): the
 * smallest or largest, None when empty; undefined for any other method.
 */
function sortedEnd(cx: CheckContext, s: MethodSite, family: "sortedmap" | "sortedset", item: Ty, typeArgs: Ty[]): TExpr | undefined {
  const { m } = s;
  if (m !== "min" && m !== "max" && m !== "first" && m !== "last") return undefined;
  if (!s.arity(0)) return s.fail();
  const end = m === "min" || m === "first" ? "min" : "max";
  return s.b(`${family}.${end}`, s.asValue, [], cx.optionOf(item), typeArgs);
}

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
  if (rt.sorted) {
    const entry: Ty = { kind: "tuple", elems: [K, V] };
    const end = sortedEnd(cx, s, "sortedmap", entry, ta);
    if (end) return end;
    switch (m) {
      case "floor":
      case "ceiling":
        if (!arity(1)) return fail();
        return b(`sortedmap.${m}`, asValue, [key(0)], cx.optionOf(entry), ta);
      case "range":
        if (!arity(2)) return fail();
        return b("sortedmap.range", asValue, [key(0), key(1)], { kind: "vec", elem: entry }, ta);
    }
  }
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
    case "merge": {
      // karac: `merge(other: Map[K, V]) -> Map[K, V]`, a new map; neither side changes.
      if (!arity(1)) return fail();
      const other = cx.checkExpr(args[0].value, rt);
      if (!unify(T(other), rt)) cx.mismatch(rt, T(other), args[0].value.span);
      return b("map.merge", asValue, [other], rt, ta);
    }
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
  if (rt.sorted) {
    const end = sortedEnd(cx, s, "sortedset", X, [X]);
    if (end) return end;
  }
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
