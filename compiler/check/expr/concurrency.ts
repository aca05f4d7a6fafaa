// `par` blocks (hoisted lets, failure and `?` escapes through branches) and `lock`.

import type { Expr, Span } from "../../syntax/ast.js";
import { Builder, asType, tyOf } from "../builder.js";
import type { LocalId, TExpr, TPattern, TStmt } from "../../tir/nodes.js";
import { ERROR, NEVER, UNIT, resolve, show, unify, type Ty } from "../types.js";
import { type CheckContext, mk, T } from "../context.js";
import { patternNames } from "../syntax-helpers.js";

export function checkPar(cx: CheckContext, e: Expr & { kind: "par" }, exp?: Ty): TExpr {
  const stmts = e.body.stmts.filter((s) => s.kind !== "empty");
  const names = stmts.map((s) => (s.kind === "let" ? patternNames(s.pattern) : new Set<string>()));
  const outer = cx.b;
  const branches: import("../../tir/nodes.js").TParBranch[] = [];
  const hoisted: { name: string; id: LocalId }[] = [];
  const resultTys: { branch: import("../../tir/nodes.js").TParBranch; ty: Ty }[] = [];
  stmts.forEach((s, i) => {
    const siblings = new Set<string>();
    names.forEach((n, j) => {
      if (j !== i) for (const x of n) siblings.add(x);
    });
    const child = cx.newLifted("parBranch", s.span, UNIT, siblings);
    child.parIndex = i;
    cx.b = child;
    child.pushScope();
    const out: TStmt[] = [];
    const t = cx.checkStmt(s);
    if (t) out.push(t);
    if (s.kind === "let") {
      // Hoist: the outer binding is declared by the par node; the branch writes it through a by-ref capture.
      for (const [name, inner] of child.scopes[child.scopes.length - 1]) {
        const il = child.local(inner);
        const oid = outer.newLocal(name, tyOf(il.type), "let", il.mut, "owned", il.span);
        hoisted.push({ name, id: oid });
        const cap = child.captureOf(oid, true);
        const ty = tyOf(il.type);
        const read = mk({ kind: "read", place: { kind: "local", local: inner, type: il.type, span: il.span } }, ty, il.span);
        out.push({ kind: "assign", place: { kind: "local", local: cap, type: il.type, span: il.span }, value: mk({ kind: "$own", value: read }, ty, il.span), span: s.span });
      }
    }
    const drops = child.popScope();
    child.fn.body = { kind: "block", stmts: out, drops, type: asType(UNIT), span: s.span };
    cx.b = outer;
    const branch: import("../../tir/nodes.js").TParBranch = { fn: child.fn.id, captures: child.captureInits, span: s.span };
    if (child.escape) branch.escape = { local: child.escape.outer, exit: escapeExit(cx, outer, child.escape.outer, s.span) };
    // Only an annotated `let name: Result[..] = ..` branch takes part in failure (§4.1).
    const ann = s.kind === "let" && s.type && t?.kind === "let" && t.pattern.kind === "bind" ? resolve(tyOf(t.pattern.type)) : undefined;
    if (ann?.kind === "enum" && cx.table.enums.get(ann.name)?.prelude === "result" && t?.kind === "let" && t.pattern.kind === "bind") {
      const sp = s.span;
      const wild = { kind: "wild", type: asType(ann.args[1]), span: sp } as TPattern;
      const errPattern = { kind: "variant", enum: ann.name, variant: 1, args: [wild], type: asType(ann), span: sp } as TPattern;
      child.fn.parResult = { index: i, local: t.pattern.local, errPattern };
      branch.result = { hoisted: hoisted[hoisted.length - 1].id, isValue: false };
      resultTys.push({ branch, ty: ann });
    }
    branches.push(branch);
  });
  for (const h of hoisted) outer.declare(h.name, h.id);
  let tail: TExpr | undefined;
  if (e.body.tail) tail = cx.checkExpr(e.body.tail, exp);
  const parTy = tail ? T(tail) : undefined;
  if (parTy) for (const r of resultTys) r.branch.result!.isValue = unify(parTy, r.ty);
  return mk({ kind: "par", branches, hoisted: hoisted.map((h) => h.id), tail }, tail ? T(tail) : UNIT, e.span);
}

/**
 * The escape marker of a `?` in a par branch (undefined elsewhere): the branch's capture of the
 * enclosing function's escape local, created on the first `?` of the branch.
 */
export function parEscape(cx: CheckContext, ty: Ty, sp: Span): { slot: LocalId; index: number } | undefined {
  const b = cx.b;
  if (b.lift !== "parBranch" || !b.parent) return undefined;
  if (!b.escape) {
    const outer = b.parent.newLocal("$escape", ty, "let", false, "owned", sp);
    b.escape = { outer, slot: b.captureOf(outer, true) };
  }
  return { slot: b.escape.slot, index: b.parIndex };
}

/** After the join: leave the enclosing body with the escaped value (§4.1). */
export function escapeExit(cx: CheckContext, outer: Builder, local: LocalId, sp: Span): TExpr {
  const ty = outer.localTy(local);
  const value = mk({ kind: "move", local }, ty, sp);
  const saved = cx.b;
  cx.b = outer;
  const escape = parEscape(cx, ty, sp);
  cx.b = saved;
  return mk({ kind: "return", value, escape }, NEVER, sp);
}

export function checkLock(cx: CheckContext, e: Expr & { kind: "lock" }, exp?: Ty): TExpr {
  const place = cx.checkPlace(e.target);
  if (!place) return mk({ kind: "error" }, ERROR, e.span);
  const mt = resolve(tyOf(place.type));
  if (mt.kind !== "mutex") {
    if (mt.kind !== "error") cx.err("E0260", `lock target must be a Mutex[T], found ${show(mt)}`, e.target.span);
    return mk({ kind: "error" }, ERROR, e.span);
  }
  let aliasName: string;
  if (e.alias) aliasName = e.alias.name;
  else if (e.target.kind === "ident") aliasName = e.target.name;
  else {
    cx.err("E0260", "locking a field needs an alias: lock self.state s { .. }", e.target.span);
    return mk({ kind: "error" }, ERROR, e.span);
  }
  if (place.kind === "local") cx.b.addressTaken(place.local);
  cx.b.pushScope();
  const alias = cx.b.newLocal(aliasName, mt.inner, "let", true, "mutref", e.alias?.span ?? e.target.span);
  cx.b.declare(aliasName, alias);
  const body = cx.checkBlock(e.body, exp);
  cx.b.popScope();
  return mk({ kind: "lock", mutex: place, alias, body }, T(body), e.span);
}
