// A closure literal whose one parameter is a `mut ref` to an element or a map value
// (`entry(k).and_modify(|v| { .. })`, `v.iter_mut().for_each(|x| { .. })`). Closure parameters are
// values in the typed program, so such a closure is not lifted: its body is checked in place, as the
// body of a loop or block in which the parameter names the element. These helpers take the closure
// apart and refuse the bodies that would mean something else once inlined.

import type { Block, ClosureParam, Expr, Span } from "../../syntax/ast.js";
import { Codes } from "../codes.js";
import type { CheckContext } from "../context.js";

export interface InlineClosure {
  param: ClosureParam;
  /** The body as a block (an expression body becomes the block's tail). */
  body: Block;
}

/**
 * The closure literal `e` taking exactly one parameter, ready to be inlined; reports why not and
 * returns undefined otherwise (`method` names the call in the message).
 */
export function inlineClosure(cx: CheckContext, e: Expr, method: string): InlineClosure | undefined {
  if (e.kind !== "closure") {
    cx.err(Codes.Unsupported, `${method} takes a closure literal here, such as |x| { .. }`, e.span);
    cx.checkExpr(e);
    return undefined;
  }
  if (e.params.length !== 1) {
    cx.err(Codes.ArgCount, `the closure given to ${method} takes 1 parameter but ${e.params.length} were declared`, e.span);
    return undefined;
  }
  const escape = escapingJump(e.body, false);
  if (escape) {
    cx.err(Codes.Unsupported, `\`${escape.kind}\` inside the closure given to ${method} is not supported yet`, escape.span);
    return undefined;
  }
  const body: Block = e.body.kind === "block" ? (e.body as Block) : { kind: "block", id: e.id, span: e.body.span, stmts: [], tail: e.body };
  return { param: e.params[0], body };
}

/**
 * A `return` or `?`, or a `break` / `continue` of no loop inside the closure, found in `node`:
 * inlined, it would leave the enclosing function or loop instead of the closure. Nested closures are their own
 * functions and are not searched.
 */
function escapingJump(node: unknown, inLoop: boolean): { kind: string; span: Span } | undefined {
  if (Array.isArray(node)) {
    for (const x of node) {
      const found = escapingJump(x, inLoop);
      if (found) return found;
    }
    return undefined;
  }
  if (!node || typeof node !== "object") return undefined;
  const n = node as { kind?: unknown; span?: Span };
  if (n.kind === "closure") return undefined;
  if ((n.kind === "return" || n.kind === "try") && n.span) return { kind: n.kind === "try" ? "?" : "return", span: n.span };
  if ((n.kind === "break" || n.kind === "continue") && !inLoop && n.span) return { kind: n.kind, span: n.span };
  const loop = inLoop || n.kind === "for" || n.kind === "while" || n.kind === "whileLet" || n.kind === "loop";
  for (const [k, v] of Object.entries(n)) {
    if (k === "span" || k === "kind") continue;
    const found = escapingJump(v, loop);
    if (found) return found;
  }
  return undefined;
}
