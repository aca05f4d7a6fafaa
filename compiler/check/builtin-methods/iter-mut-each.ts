// `v.iter_mut().for_each(|x| { .. })` and `v.iter_mut().enumerate().for_each(|(i, x)| { .. })`:
// the closure's parameter is a `mut ref` to each element, exactly like the variable of
// `for x in v.iter_mut() { .. }` (check/iter-mut.ts). The call is checked as that loop, with the
// closure's parameter as the loop pattern and its body as the loop body, so the analyses see the
// same facts: `v` lent for writing for the whole loop.
//
// An iterator of `mut ref`s cannot be a value of the typed program (iterator values hold copies,
// builtin-methods/iterators.ts), so `iter_mut()` anywhere else is refused with a pointer to the
// forms that work.

import type { Expr } from "../../syntax/ast.js";
import type { TExpr } from "../../tir/nodes.js";
import { Codes } from "../codes.js";
import { type CheckContext, mk } from "../context.js";
import { iterMutHead } from "../iter-mut.js";
import { ERROR } from "../types.js";
import { inlineClosure } from "./inline-closure.js";

type Call = Expr & { kind: "methodCall" };

/** `R.iter_mut()[.enumerate()].for_each(f)` checked as a `for` loop; undefined for other calls. */
export function checkIterMutForEach(cx: CheckContext, e: Call): TExpr | undefined {
  if (e.method.name !== "for_each") return undefined;
  const head = iterMutHead(e.receiver);
  if (!head) return undefined;
  if (e.args.length !== 1) {
    cx.err(Codes.ArgCount, `method 'for_each' takes 1 argument but ${e.args.length} were supplied`, e.span);
    cx.checkArgsLoose(e.args);
    return mk({ kind: "error" }, ERROR, e.span);
  }
  const closure = inlineClosure(cx, e.args[0].value, "for_each after iter_mut()");
  if (!closure) return mk({ kind: "error" }, ERROR, e.span);
  const loop: Expr = { kind: "for", id: e.id, span: e.span, pattern: closure.param.pattern, iter: e.receiver, body: closure.body };
  return cx.checkExpr(loop);
}

/** `iter_mut()` outside a loop head or a `for_each`: a diagnostic naming the forms that work. */
export function refuseLooseIterMut(cx: CheckContext, e: Call): TExpr | undefined {
  if (e.method.name !== "iter_mut" || e.args.length !== 0) return undefined;
  cx.err(
    Codes.Unsupported,
    "iter_mut() yields `mut ref`s to the elements, which cannot be passed on: use it as `for x in v.iter_mut() { .. }` (or bind it and use the binding once, as a loop's head) or `v.iter_mut().for_each(|x| { .. })` (optionally with .enumerate())",
    e.method.span,
  );
  return mk({ kind: "error" }, ERROR, e.span);
}
