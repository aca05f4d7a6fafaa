// The comparison and copying traits spelled as methods on concrete values: `a.eq(b)`, `a.ne(b)`,
// `a.lt(b)` / `le` / `gt` / `ge`, `a.partial_cmp(b)`, `a.max(b)` / `a.min(b)` and `x.clone()` on a
// struct, enum or tuple.
// A generic body may call these on a type parameter whose bounds give them (param-methods.ts), so
// every instance of that body needs them on the concrete type too. A type's own method of the
// same name (`impl PartialEq for P { fn eq(..) }`) is found before this (dispatch.ts).

import type { Expr } from "../../syntax/ast.js";
import { asType, tyOf } from "../builder.js";
import { compareValues } from "../comparisons.js";
import { type CheckContext, mk } from "../context.js";
import { isOrdered, isPartiallyOrdered } from "../trait-bounds.js";
import type { BinOp, TExpr, TExprNode } from "../../tir/nodes.js";
import { resolve, unify, type Ty } from "../types.js";
import type { MethodSite } from "./site.js";
import { orderingTy } from "./seq-algorithms.js";

const OPERATOR_OF: Record<string, BinOp> = { eq: "==", ne: "!=", lt: "<", le: "<=", gt: ">", ge: ">=" };

/** `rt` values that `==` / `<` accept: what the operator forms would accept, no functions or handles. */
function comparable(rt: Ty): boolean {
  const k = resolve(rt).kind;
  return k !== "fn" && k !== "atomic" && k !== "mutex" && k !== "taskGroup" && k !== "taskHandle" && k !== "channel" && k !== "sender" && k !== "receiver";
}

export function checkComparisonMethod(cx: CheckContext, e: Expr & { kind: "methodCall" }, rt: Ty, s: MethodSite): TExpr | undefined {
  const m = e.method.name;
  const left = (s.asValue as { value: TExpr }).value;
  const op = OPERATOR_OF[m];
  if (op !== undefined && comparable(rt)) {
    if (!s.arity(1)) return s.fail();
    return compareValues(cx, op, left, cx.checkExpr(s.args[0].value, rt), s.span);
  }
  if (m === "partial_cmp" && isPartiallyOrdered(cx.table, rt)) {
    if (!s.arity(1)) return s.fail();
    const other = cx.checkExpr(s.args[0].value, rt);
    if (!unify(tyOf(other.type), rt)) {
      cx.mismatch(rt, tyOf(other.type), s.args[0].value.span);
      return s.fail();
    }
    // Floats order through the runtime's three-way comparison, so a NaN operand gives Some(..)
    // rather than None; every other partially ordered type here is totally ordered.
    const ord = orderingTy(cx);
    const cmp = s.b("cmp", s.asValue, [other], ord, [rt]);
    const option = cx.optionOf(ord);
    const optionName = (resolve(option) as { name: string }).name;
    return mk({ kind: "variant", enum: optionName, variant: 0, payload: [cmp] } as TExprNode, option, s.span);
  }
  // `a.max(b)` / `a.min(b)` on strings, chars, tuples and user types with a total order: the free
  // `max` / `min` with the receiver first (numbers have their own, earlier in dispatch.ts).
  if ((m === "max" || m === "min") && isOrdered(cx.table, rt)) {
    if (!s.arity(1)) return s.fail();
    const other = cx.checkExpr(s.args[0].value, rt);
    if (!unify(tyOf(other.type), rt)) {
      cx.mismatch(rt, tyOf(other.type), s.args[0].value.span);
      return s.fail();
    }
    // The free builtin takes both operands as arguments (the registry's `min(a, b)`).
    return mk({ kind: "builtin", op: m, args: [left, other], typeArgs: [asType(rt)] } as TExprNode, rt, s.span);
  }
  // `clone` of a user value or tuple is a copy of it: the copy of an owned value is deep, and the
  // copy of a `shared` handle is another handle (docs/ownership.md).
  const k = resolve(rt).kind;
  if (m === "clone" && (k === "struct" || k === "enum" || k === "tuple")) {
    if (!s.arity(0)) return s.fail();
    return mk({ kind: "copy", value: left } as TExprNode, rt, s.span);
  }
  return undefined;
}

