// `s.sorted()` and `s.sorted_by(|a, b| ..)` on a String (karac's String surface): a new String of
// s's characters in ascending order, or in the order a comparator gives (stable). Built from
// existing operations:
//   { let $chars = Vec.new(); for c in s.chars() { $chars.push(c) }
//     $chars.sort() / $chars.sort_by(f);
//     let $sorted = String.new(); for c in $chars { $sorted.push(c) } $sorted }

import type { Expr, Span } from "../../syntax/ast.js";
import type { BuiltinOp, LocalId, TBlock, TExpr, TPattern, TPlace, TStmt } from "../../tir/nodes.js";
import { asType, tyOf } from "../builder.js";
import { type CheckContext, mk, ownMarker } from "../context.js";
import { CHAR, ERROR, STRING, UNIT, show, unify, type Ty } from "../types.js";
import { Codes } from "../codes.js";
import { orderingTy } from "./seq-algorithms.js";
import type { MethodCtx } from "./site.js";

export function checkStringSorted(cx: CheckContext, e: Expr & { kind: "methodCall" }, rt: Ty, x: MethodCtx): TExpr | undefined {
  const m = e.method.name;
  if (rt.kind !== "string" || (m !== "sorted" && m !== "sorted_by")) return undefined;
  const span = e.span;
  const fail = (): TExpr => mk({ kind: "error" }, ERROR, span);
  if (!x.arity(m === "sorted_by" ? 1 : 0) || x.asValue.kind !== "value") return fail();
  let cmp: TExpr | undefined;
  if (m === "sorted_by") {
    const want: Ty = { kind: "fn", params: [CHAR, CHAR], ret: orderingTy(cx) };
    const arg = e.args[0].value;
    cmp = arg.kind === "closure" ? cx.checkClosure(arg, want, "closure") : cx.checkExpr(arg, want);
    if (!unify(tyOf(cmp.type), want)) {
      cx.err(Codes.Mismatch, `mismatched types: expected ${show(want)}, found ${show(tyOf(cmp.type))}`, arg.span);
      return fail();
    }
  }
  const vt: Ty = { kind: "vec", elem: CHAR };
  cx.b.pushScope();
  const temp = (name: string, ty: Ty): LocalId => {
    const id = cx.b.newLocal(name, ty, "temp", true, "owned", span);
    cx.b.declare(name, id);
    return id;
  };
  const place = (id: LocalId, ty: Ty): TPlace => ({ kind: "local", local: id, type: asType(ty), span });
  const read = (id: LocalId, ty: Ty): TExpr => mk({ kind: "read", place: place(id, ty) }, ty, span);
  const bind = (id: LocalId, ty: Ty): TPattern => ({ kind: "bind", local: id, type: asType(ty), span }) as TPattern;
  const call = (op: BuiltinOp, recv: TPlace | undefined, args: TExpr[], ty: Ty, typeArgs: Ty[]): TExpr =>
    mk({ kind: "builtin", op, ...(recv ? { receiver: { kind: "place", place: recv } } : {}), args, typeArgs: typeArgs.map(asType) }, ty, span);
  const stmt = (expr: TExpr): TStmt => ({ kind: "expr", expr, span });
  const body = (s: TStmt): TBlock => ({ kind: "block", stmts: [s], drops: [], type: asType(UNIT), span });

  const chars = temp("$chars", vt);
  const sorted = temp("$sorted", STRING);
  const c1 = cx.b.newLocal("$c", CHAR, "let", false, "owned", span);
  const c2 = cx.b.newLocal("$c", CHAR, "let", false, "owned", span);
  const stmts: TStmt[] = [
    { kind: "let", pattern: bind(chars, vt), init: call("vec.new", undefined, [], vt, [CHAR]), span },
    stmt(mk({ kind: "for", loopId: cx.b.newLoopId(), iter: { kind: "chars", variable: bind(c1, CHAR), string: x.asValue.value }, body: body(stmt(call("vec.push", place(chars, vt), [read(c1, CHAR)], UNIT, [CHAR]))) }, UNIT, span)),
    stmt(cmp ? call("vec.sort_by", place(chars, vt), [cmp], UNIT, [CHAR, orderingTy(cx)]) : call("vec.sort", place(chars, vt), [], UNIT, [CHAR])),
    { kind: "let", pattern: bind(sorted, STRING), init: call("string.new", undefined, [], STRING, []), span },
    stmt(mk({ kind: "for", loopId: cx.b.newLoopId(), iter: { kind: "seq", variable: bind(c2, CHAR), coll: read(chars, vt), collKind: "vec", elem: asType(CHAR) }, body: body(stmt(call("string.push", place(sorted, STRING), [read(c2, CHAR)], UNIT, []))) }, UNIT, span)),
  ];
  const drops = cx.b.popScope();
  const tail = ownMarker(read(sorted, STRING), false, STRING, span);
  return { kind: "block", stmts, tail, drops, type: asType(STRING), span } as TExpr;
}
