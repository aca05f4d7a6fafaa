// Iterators as values: `let mut it = v.iter(); it.next()`, `let mut p = s.chars().peekable()`,
// an iterator passed to a function and resumed there.
//
// A pipeline used as a value (not consumed by a terminal or a `for` head) runs its adaptors when
// the value is made (pipeline.ts collects it) and the items wait in a Vec marked `iter`, last one
// first, so `next()` takes from the end in O(1) and `peek()` reads it. Adaptor state (an
// `enumerate` index, `windows`, `chunks`, `skip`, ...) is therefore fixed at creation and carries
// across `next` calls; a closure with side effects runs when the value is made.

import type { Expr } from "../../syntax/ast.js";
import { asType, tyOf } from "../builder.js";
import { Codes } from "../codes.js";
import { type CheckContext, mk } from "../context.js";
import { PipelineLowering, splitPipeline } from "../pipeline.js";
import type { TExpr } from "../../tir/nodes.js";
import { resolve, show, type Ty } from "../types.js";
import type { MethodSite } from "./site.js";

/** Methods whose call, in value position, makes an iterator value from a pipeline. */
const MAKERS = new Set([
  "iter", "into_iter", "chars", "map", "filter", "enumerate", "take", "skip", "rev", "zip", "chain", "flat_map", "flatten",
  "take_while", "skip_while", "step_by", "inspect", "filter_map", "peekable", "scan", "windows", "chunks", "chunk_by",
]);

/**
 * `e` is a pipeline in value position (`v.iter()`, `s.chars().peekable()`, `v.iter().enumerate()`):
 * the iterator value it makes; undefined when `e` is something else.
 */
export function checkIteratorValue(cx: CheckContext, e: Expr & { kind: "methodCall" }): TExpr | undefined {
  if (!MAKERS.has(e.method.name)) return undefined;
  const pl = splitPipeline(cx, e);
  if (!pl) return undefined;
  // A user type's own `iter()` / `map()` is a method call like any other.
  if (pl.sourceKind !== "range") {
    const st = cx.probeType(pl.source);
    const r = st ? resolve(st) : undefined;
    if (r && (r.kind === "struct" || r.kind === "enum")) return undefined;
  }
  const items = new PipelineLowering(cx).lowerTerminal(pl, "collect", [], undefined, e.span);
  const it = resolve(tyOf(items.type));
  if (it.kind !== "vec") return items;
  return mk({ kind: "builtin", op: "iter.from_vec", args: [items], typeArgs: [asType(it.elem)] }, { kind: "vec", elem: it.elem, iter: true }, e.span);
}

/** Methods of an iterator value. */
export function checkIteratorMethod(cx: CheckContext, s: MethodSite, rt: Extract<Ty, { kind: "vec" }>): TExpr {
  const { m, asValue, asPlace, b, arity, mutRecv, fail } = s;
  const elem = rt.elem;
  switch (m) {
    case "next":
      if (!arity(0)) return fail();
      mutRecv();
      return b("iter.next", asPlace, [], cx.optionOf(elem), [elem]);
    case "peek":
      if (!arity(0)) return fail();
      return b("iter.peek", asValue, [], cx.optionOf(elem), [elem]);
  }
  cx.err(Codes.NoMethod, `no method named '${m}' found for ${show(rt)}`, s.e.method.span);
  cx.checkArgsLoose(s.args);
  return fail();
}
