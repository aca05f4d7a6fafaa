// `s.parse()` on a String (F4.3): allowed only where the context expects `Option[T]` for an
// integer or float T, and then the same operation as `T.parse(s)`.

import type { Expr } from "../../syntax/ast.js";
import type { CheckContext } from "../context.js";
import { asType } from "../builder.js";
import { Codes } from "../codes.js";
import type { TExpr, TExprNode } from "../../tir/nodes.js";
import type { MethodCtx } from "./site.js";
import { resolve, show, type Ty } from "../types.js";

export function checkStringParse(c: CheckContext, e: Expr & { kind: "methodCall" }, rt: Ty, x: MethodCtx): TExpr | undefined {
  if (e.method.name !== "parse" || resolve(rt).kind !== "string") return undefined;
  const span = e.span;
  const fail = (): TExpr => ({ kind: "error", type: asType({ kind: "error" }), span }) as TExpr;
  if (!x.arity(0)) return fail();
  const exp = x.exp ? resolve(x.exp) : undefined;
  const inner = exp && exp.kind === "enum" && c.table.enums.get(exp.name)?.prelude === "option" ? resolve(exp.args[0]) : undefined;
  if (!inner || (inner.kind !== "int" && inner.kind !== "float")) {
    const found = exp ? `; the context expects ${show(exp)}` : "";
    c.err(Codes.NeedsAnnotation, `type annotations needed: s.parse() needs an expected type Option[T] with T an integer or float type${found}; or write T.parse(s)`, span);
    return fail();
  }
  const s = (x.asValue as { value: TExpr }).value;
  const op = inner.kind === "int" ? "int.parse" : "float.parse";
  return { kind: "builtin", op, args: [s], typeArgs: [asType(inner)], type: asType(c.optionOf(inner)), span } as TExprNode as TExpr;
}
