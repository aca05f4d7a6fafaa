// Builtin methods for algorithm programs (F13.1, F15.3, F4.3): Vec sorting with comparators
// (`sort_by`, `sort_by_key`, `sort_unstable*`), `binary_search`, `dedup`, `retain`, `sorted`,
// `is_sorted`, `fill`, `swap_remove`; three-way `cmp` on ordered values; Ordering's `reverse`,
// `then` and `is_*` predicates. Called by builtin-methods/dispatch.ts for methods it does not know.

import type { Expr, Span } from "../../syntax/ast.js";
import type { CheckContext } from "../context.js";
import type { MethodCtx } from "./site.js";
import { asType, tyOf } from "../builder.js";
import { Codes } from "../codes.js";
import { isOrdered, requireEquatable } from "../trait-bounds.js";
import type { BuiltinOp, TExpr } from "../../tir/nodes.js";
import { BOOL, I64, UNIT, freshVar, intTy, resolve, show, unify, type Ty } from "../types.js";

export function orderingTy(c: CheckContext): Ty {
  return c.table.enumTy(c.table.enums.get("Ordering")!, []);
}

export function closure(c: CheckContext, e: Expr, want: Ty): TExpr | undefined {
  const f = e.kind === "closure" ? c.checkClosure(e, want, "closure") : c.checkExpr(e, want);
  if (!unify(tyOf(f.type), want)) {
    c.mismatch(want, tyOf(f.type), e.span);
    return undefined;
  }
  return f;
}

export function requireOrdered(c: CheckContext, t: Ty, what: string, span: Span): void {
  c.deferred.push(() => {
    if (isOrdered(c.table, t)) return;
    const r = resolve(t);
    const fl = r.kind === "float" || (r.kind === "var" && r.lit === "float");
    c.err(Codes.BadOperand, `${what} needs a totally ordered type, found ${show(r)}${fl ? ": f64 has no total order; wrap values with F64.from" : ""}`, span);
  });
}

export function checkMoreMethods(c: CheckContext, e: Expr & { kind: "methodCall" }, rt: Ty, x: MethodCtx): TExpr | undefined {
  const m = e.method.name;
  const args = e.args;
  const span = e.span;
  const fail = (): TExpr => ({ kind: "error", type: asType({ kind: "error" } as Ty), span }) as TExpr;
  const r = resolve(rt);
  if (r.kind === "vec" || r.kind === "array" || r.kind === "slice") {
    const T = r.elem;
    const canMutate = r.kind === "vec" || (r.kind === "slice" && r.mut) || (r.kind === "array" && ["sort_by", "sort_by_key", "sort_unstable", "sort_unstable_by", "sort_unstable_by_key", "fill"].includes(m));
    const mutating = ["sort_by", "sort_by_key", "sort_unstable", "sort_unstable_by", "sort_unstable_by_key", "dedup", "retain", "fill", "swap_remove"];
    if (mutating.includes(m) && !canMutate) {
      c.err(Codes.NoMethod, `no method '${m}' on ${show(r)}`, e.method.span);
      return fail();
    }
    switch (m) {
      case "sort_unstable": {
        if (!x.arity(0)) return fail();
        x.mutRecv();
        requireOrdered(c, T, "sort", span);
        return x.b("vec.sort", x.asPlace, [], UNIT, [T]);
      }
      case "sort_by":
      case "sort_unstable_by": {
        if (!x.arity(1)) return fail();
        x.mutRecv();
        const ord = orderingTy(c);
        const f = closure(c, args[0].value, { kind: "fn", params: [T, T], ret: ord });
        if (!f) return fail();
        return x.b("vec.sort_by", x.asPlace, [f], UNIT, [T, ord]);
      }
      case "sort_by_key":
      case "sort_unstable_by_key": {
        if (!x.arity(1)) return fail();
        x.mutRecv();
        const K = freshVar();
        const f = closure(c, args[0].value, { kind: "fn", params: [T], ret: K });
        if (!f) return fail();
        requireOrdered(c, K, "sort_by_key's key", args[0].value.span);
        return x.b("vec.sort_by_key", x.asPlace, [f], UNIT, [T, K]);
      }
      case "binary_search": {
        if (!x.arity(1)) return fail();
        const v = c.checkExpr(args[0].value, T);
        if (!unify(tyOf(v.type), T)) c.mismatch(T, tyOf(v.type), args[0].value.span);
        requireOrdered(c, T, "binary_search", span);
        return x.b("vec.binary_search", x.asValue, [v], c.optionOf(I64), [T]);
      }
      case "dedup": {
        if (!x.arity(0)) return fail();
        x.mutRecv();
        requireEquatable(c, T, "dedup", span);
        return x.b("vec.dedup", x.asPlace, [], UNIT, [T]);
      }
      case "retain": {
        if (!x.arity(1)) return fail();
        x.mutRecv();
        const f = closure(c, args[0].value, { kind: "fn", params: [T], ret: BOOL });
        if (!f) return fail();
        return x.b("vec.retain", x.asPlace, [f], UNIT, [T]);
      }
      case "fill": {
        if (!x.arity(1)) return fail();
        x.mutRecv();
        const v = c.coerce(c.own(c.checkExpr(args[0].value, T)), T, args[0].value.span);
        return x.b("vec.fill", x.asPlace, [v], UNIT, [T]);
      }
      case "swap_remove": {
        if (!x.arity(1)) return fail();
        x.mutRecv();
        return x.b("vec.swap_remove", x.asPlace, [c.expectArg(args[0].value, I64)], T, [T]);
      }
      case "sorted": {
        if (!x.arity(0)) return fail();
        requireOrdered(c, T, "sorted", span);
        return x.b("vec.sorted", x.asValue, [], { kind: "vec", elem: T }, [T]);
      }
      case "windows":
      case "chunks": {
        if (!x.arity(1)) return fail();
        const n = c.expectArg(args[0].value, I64);
        // karac's runs are views (Vec[Slice[T]]) over the receiver's storage: a receiver that
        // lives in a variable (or a slice, whose elements live in one) is viewed where it is. A
        // temporary is freed at the end of its statement and has no owner to view, so its runs
        // are copies (Vec[Vec[T]]).
        if (r.kind === "slice" || (x.asPlace.kind === "place" && x.asPlace.place.kind !== "temp")) {
          return x.b(`vec.${m}_view` as BuiltinOp, x.asValue, [n], { kind: "vec", elem: { kind: "slice", elem: T, mut: false } }, [T]);
        }
        return x.b(`vec.${m}` as BuiltinOp, x.asValue, [n], { kind: "vec", elem: { kind: "vec", elem: T } }, [T]);
      }
      case "is_sorted": {
        if (!x.arity(0)) return fail();
        requireOrdered(c, T, "is_sorted", span);
        return x.b("vec.is_sorted", x.asValue, [], BOOL, [T]);
      }
    }
    if (m !== "cmp") return undefined;
  }
  // Map/Set iteration snapshots (unspecified order, F5.6): m.iter()/entries() -> Vec[(K, V)], s.iter() -> Vec[T].
  if (r.kind === "map" && (m === "iter" || m === "entries")) {
    if (!x.arity(0)) return fail();
    return x.b("map.entries", x.asValue, [], { kind: "vec", elem: { kind: "tuple", elems: [r.key, r.value] } }, [r.key, r.value]);
  }
  if (r.kind === "set" && (m === "iter" || m === "to_vec")) {
    if (!x.arity(0)) return fail();
    return x.b("set.to_vec", x.asValue, [], { kind: "vec", elem: r.elem }, [r.elem]);
  }
  // `s.parse()` takes its target from the expected type: `let n: Option[i64] = s.parse();` (F4.3).
  if (r.kind === "string" && m === "parse") {
    if (!x.arity(0)) return fail();
    const want = x.exp ? resolve(x.exp) : undefined;
    const inner = want && want.kind === "enum" && c.table.enums.get(want.name)?.prelude === "option" ? resolve(want.args[0]) : undefined;
    if (!inner || inner.kind !== "int") {
      c.err(Codes.NeedsAnnotation, "type annotations needed: s.parse() parses into the integer type of an expected Option[..]; write i64.parse(s) or annotate the binding", span);
      return fail();
    }
    return x.b("int.parse", x.asValue, [], c.optionOf(inner), [inner]);
  }
  if (r.kind === "string" && m === "bytes") {
    if (!x.arity(0)) return fail();
    return x.b("string.bytes", x.asValue, [], { kind: "vec", elem: intTy("u8") }, []);
  }
  if (r.kind === "enum" && c.table.enums.get(r.name)?.prelude === "ordering") {
    switch (m) {
      case "reverse":
        if (!x.arity(0)) return fail();
        return x.b("ordering.reverse", x.asValue, [], rt);
      case "then": {
        if (!x.arity(1)) return fail();
        return x.b("ordering.then", x.asValue, [c.expectArg(args[0].value, rt)], rt);
      }
      case "is_lt":
      case "is_le":
      case "is_gt":
      case "is_ge":
      case "is_eq":
      case "is_ne":
        if (!x.arity(0)) return fail();
        return x.b(`ordering.${m}` as BuiltinOp, x.asValue, [], BOOL);
    }
  }
  if (m === "cmp") {
    if (!isOrdered(c.table, r)) return undefined;
    if (!x.arity(1)) return fail();
    const v = c.checkExpr(args[0].value, r);
    if (!unify(tyOf(v.type), r)) c.mismatch(r, tyOf(v.type), args[0].value.span);
    return x.b("cmp", x.asValue, [v], orderingTy(c), [r]);
  }
  return undefined;
}
