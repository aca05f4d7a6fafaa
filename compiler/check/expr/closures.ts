// Closures: lifted into their own function with explicit capture slots; parameter types come
// from annotations or from the function type the context expects.

import type { Expr } from "../../syntax/ast.js";
import { asType, type LiftKind } from "../builder.js";
import type { TBlock, TExpr, TStmt } from "../../tir/nodes.js";
import { freshVar, resolve, unify, type Ty } from "../types.js";
import { type CheckContext, mk } from "../context.js";

export function checkClosure(cx: CheckContext, e: Expr & { kind: "closure" }, exp: Ty | undefined, kind: LiftKind): TExpr {
  const ef = exp && resolve(exp).kind === "fn" ? (resolve(exp) as { params: Ty[]; ret: Ty }) : undefined;
  const paramTys = e.params.map((p, i) => (p.type ? cx.resolveTy(p.type) : ef && ef.params.length === e.params.length ? ef.params[i] : freshVar()));
  if (ef && ef.params.length === e.params.length) {
    paramTys.forEach((t, i) => {
      if (!unify(t, ef.params[i])) cx.mismatch(ef.params[i], t, e.params[i].span);
    });
  }
  const ret = ef ? ef.ret : freshVar();
  const outer = cx.b;
  const child = cx.newLifted(kind, e.span, ret);
  cx.b = child;
  child.pushScope();
  const pre: TStmt[] = [];
  e.params.forEach((p, i) => {
    const name = p.pattern.kind === "bind" ? p.pattern.name : `$arg${i}`;
    const id = child.newLocal(name, paramTys[i], "param", p.pattern.kind === "bind" && p.pattern.mut, "owned", p.span);
    child.fn.params.push({ local: id, name, mode: "owned", type: asType(paramTys[i]), span: p.span });
    child.fn.paramDrops.push(id);
    if (p.pattern.kind === "bind") child.declare(name, id);
    else {
      const pat = cx.checkPattern(p.pattern, paramTys[i], true);
      const init = mk({ kind: "$own", value: mk({ kind: "read", place: { kind: "local", local: id, type: asType(paramTys[i]), span: p.span } }, paramTys[i], p.span) }, paramTys[i], p.span);
      pre.push({ kind: "let", pattern: pat, init, span: p.span });
    }
  });
  let body: TBlock;
  if (e.body.kind === "block") {
    body = cx.checkBodyBlock(e.body, ret);
  } else {
    const v = cx.checkExpr(e.body, ret);
    const tail = cx.coerce(cx.own(v), ret, e.body.span);
    body = { kind: "block", stmts: [], tail, drops: [], type: tail.type, span: e.body.span };
  }
  const drops = child.popScope();
  body.stmts = [...pre, ...body.stmts];
  body.drops = [...drops, ...body.drops];
  child.fn.body = body;
  child.fn.ret = asType(ret);
  cx.b = outer;
  const fnTy: Ty = { kind: "fn", params: paramTys, ret };
  return mk({ kind: "closure", fn: child.fn.id, captures: child.captureInits }, fnTy, e.span);
}
