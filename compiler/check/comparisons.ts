// Comparing two checked values: `a == b`, `a < b` (expr/operators.ts) and the method forms
// `a.eq(b)`, `a.lt(b)`, `a.partial_cmp(b)` (builtin-methods/comparison-methods.ts) build the same
// nodes here, so a user `impl PartialEq` / `impl Ord` or a derive serves both spellings alike.

import type { Span } from "../syntax/ast.js";
import { asType } from "./builder.js";
import { Codes } from "./codes.js";
import { type CheckContext, mk, T } from "./context.js";
import { paramHas } from "./trait-bounds.js";
import type { BinOp, TExpr } from "../tir/nodes.js";
import { BOOL, resolve, show, unify, type Ty } from "./types.js";

/** `l op r` for a comparison operator, both operands checked; the operand types must agree. */
export function compareValues(cx: CheckContext, op: BinOp, l: TExpr, r: TExpr, span: Span): TExpr {
  if (!unify(T(l), T(r))) {
    cx.mixError(T(l), T(r), span);
    return mk({ kind: "error" }, BOOL, span);
  }
  const t = resolve(T(l));
  if (t.kind === "struct" || t.kind === "enum") {
    const user = userComparison(cx, op, t, l, r, span);
    if (user) return user;
  }
  if (op !== "==" && op !== "!=" && t.kind !== "error") {
    const ordered = t.kind === "int" || t.kind === "float" || t.kind === "char" || t.kind === "string" || t.kind === "bool" || (t.kind === "var" && t.lit !== undefined) || (t.kind === "param" && paramHas(t, "PartialOrd"));
    if (!ordered && t.kind !== "tuple" && t.kind !== "vec" && t.kind !== "enum" && t.kind !== "struct") {
      cx.err(Codes.NotComparable, `values of type ${show(t)} cannot be ordered`, span);
    }
  } else if (t.kind === "param" && !paramHas(t, "PartialEq")) {
    cx.err(Codes.NotComparable, `values of type parameter ${t.name} cannot be compared with \`${op}\`: add the bound PartialEq`, span);
  } else if (t.kind === "fn" || t.kind === "unit" || t.kind === "atomic" || t.kind === "mutex" || t.kind === "taskGroup" || t.kind === "taskHandle") {
    cx.err(Codes.NotComparable, `values of type ${show(t)} cannot be compared`, span);
  }
  return mk({ kind: "binary", op, left: l, right: r, operand: asType(T(l)) }, BOOL, span);
}

/**
 * Comparisons on user types: a user `eq` / `cmp` is called (`a != b` is `not a.eq(b)`, `a < b` is
 * `a.cmp(b) == Ordering.Less`); otherwise the type needs the matching derive.
 */
export function userComparison(cx: CheckContext, op: BinOp, t: Ty & { kind: "struct" | "enum" }, l: TExpr, r: TExpr, span: Span): TExpr | undefined {
  const eqOp = op === "==" || op === "!=";
  const user = eqOp ? cx.table.eqImpls.get(t.name) : cx.table.cmpImpls.get(t.name);
  if (user) {
    const call = mk({ kind: "call", fn: user.id, args: [{ mode: "ref", value: l }, { mode: "ref", value: r }] }, eqOp ? BOOL : user.sig.ret, span);
    if (eqOp) return op === "==" ? call : mk({ kind: "unary", op: "not", operand: call }, BOOL, span);
    // Ordering: Less = 0, Equal = 1, Greater = 2 (variant indices, compared as enum values)
    const ordTy = user.sig.ret;
    const ord = (v: number): TExpr => mk({ kind: "variant", enum: "Ordering", variant: v, payload: [] }, ordTy, span);
    const cmpTo = (bop: BinOp, v: number): TExpr => mk({ kind: "binary", op: bop, left: call, right: ord(v), operand: asType(ordTy) }, BOOL, span);
    switch (op) {
      case "<":
        return cmpTo("==", 0);
      case ">":
        return cmpTo("==", 2);
      case "<=":
        return cmpTo("!=", 2);
      default:
        return cmpTo("!=", 0);
    }
  }
  const derives = t.kind === "struct" ? cx.table.structs.get(t.name)?.derives : cx.table.enums.get(t.name)?.derives;
  const need = eqOp ? ["PartialEq", "Eq", "PartialOrd", "Ord"] : ["PartialOrd", "Ord"];
  if (derives && !derives.some((d) => need.includes(d))) {
    cx.err(
      Codes.NotComparable,
      `${show(t)} cannot be compared with \`${op}\`: add #[derive(${eqOp ? "PartialEq" : "PartialOrd"})] or impl ${eqOp ? "PartialEq" : "Ord"}`,
      span,
    );
    return mk({ kind: "error" }, BOOL, span);
  }
  return undefined;
}
