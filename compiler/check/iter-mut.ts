// `for x in v.iter_mut() { .. }` and `for (i, x) in v.iter_mut().enumerate() { .. }`: the loop
// variable is a `mut ref` to each element in turn, so `x += 1`, `*x = ..` or `x.push(..)` change
// the element in place. The loop walks a writable view of `v` (the `mut Slice[T]` that
// `v.as_slice_mut()` gives): the analyses see `v` lent for writing (tir/walk.ts), and codegen
// binds each element variable to its slot's address, as it does for a `mut ref` match binding.
// The enumerate index is a counter the body advances first, so `continue` keeps it in step.

import type { Expr, Pattern, Span } from "../syntax/ast.js";
import type { LocalId, TExpr, TForIter, TPattern, TStmt } from "../tir/nodes.js";
import { asType, tyOf } from "./builder.js";
import { Codes } from "./codes.js";
import { type CheckContext, mk } from "./context.js";
import { ERROR, I64, resolve, show, type Ty } from "./types.js";

/** The receiver of `R.iter_mut()` (optionally followed by `.enumerate()`), when `e` is that form. */
export function iterMutHead(e: Expr): { receiver: Expr; enumerate: boolean } | undefined {
  let enumerate = false;
  let cur = e;
  if (cur.kind === "methodCall" && cur.method.name === "enumerate" && cur.args.length === 0) {
    enumerate = true;
    cur = cur.receiver;
  }
  if (cur.kind === "methodCall" && cur.method.name === "iter_mut" && cur.args.length === 0) return { receiver: cur.receiver, enumerate };
  return undefined;
}

export interface IterMutLoop {
  iter: TForIter;
  /** Statements before the loop (the enumerate counter). */
  pre: TStmt[];
  /** Statements at the start of each iteration (advance the counter, bind the index pattern). */
  prefix: TStmt[];
  /** Locals `pre` declares, dropped after the loop. */
  drops: LocalId[];
}

/** Checks the head of an iter_mut loop; the caller has pushed the loop variable's scope. */
export function checkIterMutFor(cx: CheckContext, head: { receiver: Expr; enumerate: boolean }, pattern: Pattern, span: Span): IterMutLoop {
  const place = cx.checkPlace(head.receiver);
  const rt = place ? resolve(tyOf(place.type)) : ERROR;
  let elem: Ty = ERROR;
  let coll: TExpr = mk({ kind: "error" }, ERROR, head.receiver.span);
  if (place && (rt.kind === "vec" || rt.kind === "array" || (rt.kind === "slice" && rt.mut)) && !(rt.kind === "vec" && rt.iter)) {
    cx.requireMutable(place, head.receiver.span, "borrow");
    elem = rt.elem;
    const base = mk({ kind: "read", place }, rt, head.receiver.span);
    coll = mk({ kind: "slice", base, inclusive: false }, { kind: "slice", elem, mut: true }, head.receiver.span);
  } else if (!place) {
    cx.err(Codes.Mismatch, "iter_mut() needs a place to write through (a variable, field or element)", head.receiver.span);
  } else if (rt.kind !== "error") {
    cx.err(Codes.NoMethod, `no method named 'iter_mut' found for ${show(rt)}`, head.receiver.span);
  }
  const pre: TStmt[] = [];
  const prefix: TStmt[] = [];
  const drops: LocalId[] = [];
  let elemPattern = pattern;
  if (head.enumerate) {
    if (pattern.kind !== "tuple" || pattern.elems.length !== 2) {
      cx.err(Codes.Mismatch, "iter_mut().enumerate() yields (index, element) pairs: bind them with a pattern like (i, x)", pattern.span);
      elemPattern = { ...pattern, kind: "wild" } as Pattern;
    } else {
      // `let mut $n = -1;` before the loop; `$n += 1; let <index pattern> = $n;` first in the body.
      const n = cx.b.newLocal("$n", I64, "temp", true, "owned", span);
      const nPlace = () => ({ kind: "local" as const, local: n, type: asType(I64), span });
      pre.push({ kind: "let", pattern: { kind: "bind", local: n, type: asType(I64), span } as TPattern, init: mk({ kind: "int", value: -1n }, I64, span), span });
      drops.push(n);
      const index = cx.checkPattern(pattern.elems[0], I64, true);
      prefix.push({ kind: "compoundAssign", op: "+", place: nPlace(), value: mk({ kind: "int", value: 1n }, I64, span), operand: asType(I64), span } as TStmt);
      prefix.push({ kind: "let", pattern: index, init: mk({ kind: "read", place: nPlace() }, I64, span), span });
      elemPattern = pattern.elems[1];
    }
  }
  const variable = cx.checkPattern(elemPattern, elem, true);
  markMutRef(cx, variable);
  return { iter: { kind: "seq", variable, coll, collKind: "slice", elem: asType(elem) }, pre, prefix, drops };
}

/** Every name the element pattern binds is a `mut ref` to its part of the element. */
function markMutRef(cx: CheckContext, p: TPattern): void {
  switch (p.kind) {
    case "bind": {
      const l = cx.b.local(p.local);
      l.mode = "mutref";
      l.mut = true;
      if (p.sub) markMutRef(cx, p.sub);
      return;
    }
    case "tuple":
      p.elems.forEach((x) => markMutRef(cx, x));
      return;
    case "struct":
      p.fields.forEach((f) => markMutRef(cx, f.pattern));
      return;
    default:
      return;
  }
}
