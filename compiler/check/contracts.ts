// `requires e` / `ensures e` contracts. They are checked like expressions of the function's body,
// with the parameters in scope and, for `ensures`, the returned value bound (`result`, or the name
// of `ensures(r) e` / `ensures |r| e`); `old(e)` reads e as the function saw it on entry, so it is
// checked as e. The typed predicates are kept on the function for the effect phase, which rejects
// any effect but `panics` in them (E0410); they are not run.

import type { Contract, Expr, FnDecl } from "../syntax/ast.js";
import type { TFunction } from "../tir/nodes.js";
import type { CheckContext } from "./context.js";
import { T } from "./context.js";
import { BOOL, resolve, unify, type Ty } from "./types.js";

export function checkContracts(cx: CheckContext, decl: FnDecl, ret: Ty, fn: TFunction): void {
  if (!decl.contracts?.length) return;
  const out: NonNullable<TFunction["contracts"]> = [];
  for (const c of decl.contracts) {
    const b = cx.b;
    b.pushScope();
    if (c.kind === "ensures") {
      const name = c.binding ?? "result";
      const local = b.newLocal(name, ret, "let", false, "owned", c.span);
      b.declare(name, local);
    }
    const expr = cx.checkExpr(withoutOld(c), BOOL);
    if (resolve(T(expr)).kind !== "error" && !unify(T(expr), BOOL)) cx.mismatch(BOOL, T(expr), c.expr.span);
    b.popScope();
    out.push({ kind: c.kind, expr, span: c.span });
  }
  fn.contracts = out;
}

/** The predicate with every `old(e)` replaced by e (a copy; the declaration is left as parsed). */
function withoutOld(c: Contract): Expr {
  const strip = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(strip);
    if (typeof x !== "object" || x === null) return x;
    const node = x as { kind?: string; callee?: Expr; args?: { value: Expr }[] };
    if (node.kind === "call" && node.callee?.kind === "ident" && node.callee.name === "old" && node.args?.length === 1) return strip(node.args[0].value);
    const copy: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) copy[k] = k === "span" ? v : strip(v);
    return copy;
  };
  return strip(c.expr) as Expr;
}
