// Attributes written before a loop (`#[par_order_free] for x in v { .. }`) stay on its typed
// node, so the auto-parallel pass can read the author's promise. A `for` over an iterator
// pipeline lowers to a block around the loop; the attributes go to that loop.

import type { Attribute, Expr } from "../syntax/ast.js";
import type { TExpr, TLoopAttr } from "../tir/nodes.js";

type LoopSyntax = Expr & { kind: "while" | "whileLet" | "loop" | "for" };

export function keepLoopAttrs(e: LoopSyntax, typed: TExpr): TExpr {
  if (!e.attrs?.length) return typed;
  const loop = findLoop(typed, 3);
  if (loop) loop.attrs = e.attrs.map((a: Attribute): TLoopAttr => ({ name: a.name, args: [...a.args] }));
  return typed;
}

function findLoop(t: TExpr, depth: number): (TExpr & { kind: "while" | "loop" | "for" }) | undefined {
  if (t.kind === "while" || t.kind === "loop" || t.kind === "for") return t;
  if (t.kind !== "block" || depth === 0) return undefined;
  for (const s of t.stmts) {
    if (s.kind !== "expr") continue;
    const found = findLoop(s.expr, depth - 1);
    if (found) return found;
  }
  return t.tail ? findLoop(t.tail, depth - 1) : undefined;
}
