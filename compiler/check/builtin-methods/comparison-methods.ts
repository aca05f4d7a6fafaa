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
import type { BinOp, TExpr, TExprNode, TPattern, TStmt } from "../../tir/nodes.js";
import { BOOL, resolve, unify, type Ty } from "../types.js";
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
    const ord = orderingTy(cx);
    const option = cx.optionOf(ord);
    const optionName = (resolve(option) as { name: string }).name;
    if (resolve(rt).kind === "float") return floatPartialCmp(cx, s, left, other, rt, ord, option, optionName);
    // Every other partially ordered type here is totally ordered: the answer is always Some.
    const cmp = s.b("cmp", s.asValue, [other], ord, [rt]);
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


/**
 * `a.partial_cmp(b)` on floats: `None` when either operand is NaN (NaN is unordered, as in karac),
 * else `Some` of the three-way comparison. Each operand is evaluated once, into a local, and a
 * float equals itself exactly when it is not NaN.
 */
function floatPartialCmp(cx: CheckContext, s: MethodSite, left: TExpr, right: TExpr, rt: Ty, ord: Ty, option: Ty, optionName: string): TExpr {
  const span = s.span;
  const slot = asType(rt);
  const a = cx.b.newLocal("$lhs", rt, "let", false, "owned", span);
  const b = cx.b.newLocal("$rhs", rt, "let", false, "owned", span);
  const read = (id: number): TExpr => mk({ kind: "read", place: { kind: "local", local: id, type: slot, span } } as TExprNode, rt, span);
  const notNan = (id: number): TExpr => mk({ kind: "binary", op: "==", left: read(id), right: read(id), operand: slot } as TExprNode, BOOL, span);
  const cmp = s.b("cmp", { kind: "value", value: read(a) }, [read(b)], ord, [rt]);
  const some = mk({ kind: "variant", enum: optionName, variant: 0, payload: [cmp] } as TExprNode, option, span);
  const none = mk({ kind: "variant", enum: optionName, variant: 1, payload: [] } as TExprNode, option, span);
  const then = mk({ kind: "block", stmts: [], tail: some, drops: [], type: asType(option), span } as TExprNode, option, span);
  const cond = mk({ kind: "logical", op: "and", left: notNan(a), right: notNan(b) } as TExprNode, BOOL, span);
  const choice = mk({ kind: "if", cond, then, else: none } as TExprNode, option, span);
  const bind = (id: number, init: TExpr): TStmt => ({ kind: "let", pattern: { kind: "bind", local: id, type: slot, span } as TPattern, init, span });
  return mk({ kind: "block", stmts: [bind(a, left), bind(b, right)], tail: choice, drops: [], type: asType(option), span } as TExprNode, option, span);
}
