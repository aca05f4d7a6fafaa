// `s.split_at(mid) -> (Slice[T], Slice[T])` on a Vec, array or slice (karac's Vec and Slice
// surface): the views `s[..mid]` and `s[mid..]`. `s.split_at_mut(mid)` gives the same two views as
// `mut Slice[T]`s (the receiver must be writable): they never overlap, so both may be written.
// Both halves view the receiver where it lives, so the receiver must be a place (or a slice value,
// bound for the call); `mid` is read once, and a `mid` beyond the length panics like the slice
// `s[..mid]` does.

import type { Expr } from "../../syntax/ast.js";
import type { LocalId, TExpr, TPattern, TPlace, TStmt } from "../../tir/nodes.js";
import { asType } from "../builder.js";
import { Codes } from "../codes.js";
import { type CheckContext, mk } from "../context.js";
import { I64, type Ty } from "../types.js";
import type { MethodCtx } from "./site.js";

export function checkSplitAt(cx: CheckContext, e: Expr & { kind: "methodCall" }, rt: Ty, x: MethodCtx): TExpr | undefined {
  const name = e.method.name;
  if (name !== "split_at" && name !== "split_at_mut") return undefined;
  if (rt.kind !== "vec" && rt.kind !== "array" && rt.kind !== "slice") return undefined;
  if (rt.kind === "vec" && (rt.iter || rt.deque)) return undefined;
  const writable = name === "split_at_mut";
  // Two writable halves need a receiver that may be written: a `mut` binding, or a `mut Slice`.
  // The halves are still built after these errors, so their uses check without cascading.
  if (writable && rt.kind === "slice" && !rt.mut) {
    cx.err(Codes.BorrowImmutable, "cannot split a read-only `Slice[T]` into writable halves: split_at_mut needs a `mut Slice[T]`", e.receiver.span);
  }
  if (!x.arity(1)) return mk({ kind: "error" }, { kind: "error" } as Ty, e.span);
  if (writable && rt.kind !== "slice") x.mutRecv();
  const span = e.span;
  const stmts: TStmt[] = [];
  const drops: LocalId[] = [];
  const letTemp = (name: string, ty: Ty, init: TExpr): TPlace => {
    const id = cx.b.newLocal(name, ty, "temp", false, "owned", span);
    stmts.push({ kind: "let", pattern: { kind: "bind", local: id, type: asType(ty), span } as TPattern, init, span });
    drops.push(id);
    return { kind: "local", local: id, type: asType(ty), span };
  };
  // The receiver: a place read twice (copied node for node), or a slice value bound first.
  const recv = x.asPlace.kind === "place" ? x.asPlace.place : undefined;
  let whole: () => TExpr;
  if (recv && recv.kind !== "temp" && pureplace(recv)) {
    whole = () => mk({ kind: "read", place: cloneTree(recv) }, rt, e.receiver.span);
  } else if (rt.kind === "slice" && recv && recv.kind === "temp") {
    const p = letTemp("$whole", rt, recv.value);
    whole = () => mk({ kind: "read", place: { ...p } }, rt, e.receiver.span);
  } else {
    cx.err(Codes.Unsupported, `${name} views its receiver where it lives: bind this value to a variable first`, e.receiver.span);
    cx.checkArgsLoose(e.args);
    return mk({ kind: "error" }, { kind: "error" } as Ty, span);
  }
  const mid = letTemp("$mid", I64, cx.expectArg(e.args[0].value, I64));
  const midRead = (): TExpr => mk({ kind: "read", place: { ...mid } }, I64, span);
  const half: Ty = { kind: "slice", elem: rt.elem, mut: writable };
  const front = mk({ kind: "slice", base: whole(), hi: midRead(), inclusive: false }, half, span);
  const back = mk({ kind: "slice", base: whole(), lo: midRead(), inclusive: false }, half, span);
  const pairTy: Ty = { kind: "tuple", elems: [half, half] };
  const tail = mk({ kind: "tuple", elems: [front, back] }, pairTy, span);
  return { kind: "block", stmts, tail, drops, type: asType(pairTy), span } as TExpr;
}

/** A place whose evaluation has no effects and reads the same slot twice (no computed index). */
export function pureplace(p: TPlace): boolean {
  switch (p.kind) {
    case "local":
    case "global":
      return true;
    case "field":
    case "tupleField":
      return pureplace(p.base);
    case "index":
      return (p.index.kind === "int" || (p.index.kind === "read" && p.index.place.kind === "local")) && pureplace(p.base);
    default:
      return false;
  }
}

/** A fresh copy of a typed-tree fragment, so the same place can appear twice without sharing nodes. */
export function cloneTree<T>(v: T): T {
  if (Array.isArray(v)) return v.map(cloneTree) as T;
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = cloneTree(x);
    return out as T;
  }
  return v;
}
