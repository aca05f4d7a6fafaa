// `for x in v.iter_mut() { .. }` and `for (i, x) in v.iter_mut().enumerate() { .. }`: the loop
// variable is a `mut ref` to each element in turn, so `x += 1`, `*x = ..` or `x.push(..)` change
// the element in place. The loop walks a writable view of `v` (the `mut Slice[T]` that
// `v.as_slice_mut()` gives): the analyses see `v` lent for writing (tir/walk.ts), and codegen
// binds each element variable to its slot's address, as it does for a `mut ref` match binding.
// The enumerate index is a counter the body advances first, so `continue` keeps it in step.

import type { Block, Expr, Pattern, Span, Stmt } from "../syntax/ast.js";
import { forEachSyntaxNode } from "../syntax/each-node.js";
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

// A stored iter_mut iterator, `let it = v.iter_mut(); for x in it { .. }` (also `it.enumerate()`
// in the head): while the iterator lives it holds the only writable borrow of `v`, so the loop is
// the loop over `v.iter_mut()` itself. The `let` is dropped and the head reads the stored form,
// when the binding's one use is such a loop head; any other use keeps the E0223 of the `let`.
const aliasedLets = new WeakSet<Stmt>();
const aliasHeads = new WeakMap<Expr, Expr>();

/** Finds the stored iter_mut iterators of `block` whose one use is a `for` head (idempotent). */
export function noteStoredIterMut(block: Block): void {
  block.stmts.forEach((s, k) => {
    if (s.kind !== "let" || aliasedLets.has(s) || s.type || s.elseBlock || s.byRef || !s.value || s.pattern.kind !== "bind" || s.pattern.mut || s.pattern.sub) return;
    const value = s.value;
    if (!iterMutHead(value) || iterMutHead(value)!.receiver.kind === "call") return;
    const name = s.pattern.name;
    const rest = [block.stmts.slice(k + 1), block.tail ?? []];
    const uses: Expr[] = [];
    const heads: Expr[] = [];
    // Only a loop that is itself a statement of this block runs once; one inside another loop
    // would read the (consumed) iterator again.
    const ownLoops = new Set<unknown>([...block.stmts.slice(k + 1).map((t) => (t.kind === "expr" ? t.expr : undefined)), block.tail].filter((x) => x?.kind === "for"));
    forEachSyntaxNode(rest, (n) => {
      if (n.kind === "ident" && n.name === name) uses.push(n as unknown as Expr);
      // A later binding of the same name is not followed: the rewrite is skipped.
      if (n.kind === "bind" && n.name === name) uses.push(n as unknown as Expr, n as unknown as Expr);
      if (n.kind === "for" && ownLoops.has(n)) {
        const head = (n as unknown as Expr & { kind: "for" }).iter;
        if (head.kind === "ident" && head.name === name) heads.push(head);
        else if (head.kind === "methodCall" && head.method.name === "enumerate" && head.args.length === 0 && head.receiver.kind === "ident" && head.receiver.name === name && value.kind === "methodCall" && value.method.name === "iter_mut") heads.push(head);
      }
    });
    if (uses.length !== 1 || heads.length !== 1) return;
    const head = heads[0];
    aliasedLets.add(s);
    aliasHeads.set(head, head.kind === "ident" ? value : { ...(head as Expr & { kind: "methodCall" }), receiver: value });
  });
}

/** Whether `s` is the `let` of a stored iter_mut iterator read back by its loop (not checked on its own). */
export function isStoredIterMut(s: Stmt): boolean {
  return aliasedLets.has(s);
}

/** The head a `for` loop reads: the stored iter_mut form for a loop over such an iterator. */
export function storedIterMutHead(head: Expr): Expr {
  return aliasHeads.get(head) ?? head;
}
