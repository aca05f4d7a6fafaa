// Option/Result methods from karac's core-types list that the core and "more" sets lack, each
// lowered to existing typed nodes (matches, assignments and the core builtins), so the effect
// phase and automatic parallelisation see the receiver writes of the mutating ones as ordinary
// assignments:
//   o.is_some_and(f)          => match o { Some(x) => f(x), None => false }
//   o.unwrap_or_default()     => match o { Some(x) => x, None => T's default }
//   o.zip(p)                  => match o { Some(x) => match p { Some(y) => Some((x, y)), None => None }, None => None }
//   o.and(p) / r.and(s)       => match o { Some(_) => p, None => None }  /  Ok(_) => s, Err(e) => Err(e)
//   o.as_ref(), o.cloned(), o.clone(), r.clone() => a copy of the receiver (values here are not references)
//   o.take()                  => { let old = o; o = None; old }
//   o.replace(v)              => { let new = v; let old = o; o = Some(new); old }
//   o.get_or_insert(v)        => { let new = v; if o.is_none() { o = Some(new) }; o.unwrap() }  (a copy)
//   o.get_or_insert_with(f)   => { let f = f; if o.is_none() { o = Some(f()) }; o.unwrap() }   (a copy)
// Arguments are bound to temporaries first, so each is evaluated once whichever arm runs.

import type { Expr, Span } from "../../syntax/ast.js";
import { asType } from "../builder.js";
import { Codes } from "../codes.js";
import { type CheckContext, mk, ownMarker, T } from "../context.js";
import type { LocalId, TBlock, TExpr, TExprNode, TMatchArm, TPattern, TPlace, TStmt } from "../../tir/nodes.js";
import { BOOL, freshVar, resolve, show, unify, type Ty } from "../types.js";
import { defaultValue } from "./conversions.js";
import type { MethodSite } from "./site.js";

type EnumTy = Ty & { kind: "enum" };

const OPTION = new Set(["clone", "is_some_and", "unwrap_or_default", "zip", "and", "as_ref", "cloned", "take", "replace", "get_or_insert", "get_or_insert_with"]);
const RESULT = new Set(["and", "clone"]);

export function checkOptionResultExtra(cx: CheckContext, s: MethodSite, rt: EnumTy): TExpr | undefined {
  const pre = cx.table.enums.get(rt.name)?.prelude;
  const { m, span } = s;
  if (pre === "option" ? !OPTION.has(m) : pre === "result" ? !RESULT.has(m) : true) return undefined;
  const isOpt = pre === "option";
  const args = s.args.map((a) => a.value);
  const want = m === "zip" || m === "and" || m === "replace" || m === "get_or_insert" || m === "get_or_insert_with" || m === "is_some_and" ? 1 : 0;
  if (!s.arity(want)) return s.fail();
  const inner = rt.args[0];
  const b = cx.b;
  b.pushScope();
  const stmts: TStmt[] = [];
  const local = (name: string, ty: Ty): LocalId => {
    const id = b.newLocal(name, ty, "temp", false, "owned", span);
    b.declare(name, id);
    return id;
  };
  const bindTemp = (name: string, init: TExpr): LocalId => {
    const ty = T(init);
    const id = local(name, ty);
    stmts.push({ kind: "let", pattern: { kind: "bind", local: id, type: asType(ty), span } as TPattern, init, span } as TStmt);
    return id;
  };
  const readL = (id: LocalId): TExpr => mk({ kind: "read", place: { kind: "local", local: id, type: asType(b.localTy(id)), span } }, b.localTy(id), span);
  const value = (a: Expr, ty: Ty): TExpr => cx.coerce(cx.own(cx.checkExpr(a, ty)), ty, a.span);
  const closure = (a: Expr, params: Ty[], ret: Ty): TExpr | undefined => {
    const wantF: Ty = { kind: "fn", params, ret };
    const f = a.kind === "closure" ? cx.checkClosure(a, wantF, "closure") : cx.checkExpr(a, wantF);
    if (!unify(T(f), wantF)) {
      cx.mismatch(wantF, T(f), a.span);
      return undefined;
    }
    return f;
  };
  const variant = (en: Ty, v: number, payload: TExpr[]): TExpr => {
    const et = resolve(en) as EnumTy;
    return mk({ kind: "variant", enum: et.name, variant: v, payload } as TExprNode, et, span);
  };
  const pat = (en: EnumTy, v: number, ps: TPattern[]): TPattern => ({ kind: "variant", enum: en.name, variant: v, args: ps, type: asType(en), span }) as TPattern;
  const bindPat = (name: string, ty: Ty): { id: LocalId; p: TPattern } => {
    const id = b.newLocal(name, ty, "let", false, "owned", span);
    return { id, p: { kind: "bind", local: id, type: asType(ty), span } as TPattern };
  };
  const wild = (ty: Ty): TPattern => ({ kind: "wild", type: asType(ty), span }) as TPattern;
  const match = (scrut: TExpr, arms: TMatchArm[], ty: Ty): TExpr => mk({ kind: "match", scrutinee: scrut, arms } as TExprNode, ty, span);
  const done = (tail: TExpr, ty: Ty): TExpr => {
    const drops = b.popScope();
    return { kind: "block", stmts, tail, drops, type: asType(ty), span } as TBlock;
  };
  const abandon = (): TExpr => {
    b.popScope();
    return s.fail();
  };
  const recvValue = (): TExpr => (s.asValue as { value: TExpr }).value;

  switch (m) {
    case "is_some_and": {
      const f = closure(args[0], [inner], BOOL);
      if (!f) return abandon();
      const fl = bindTemp("$f", f);
      const x = bindPat("$x", inner);
      const call = mk({ kind: "callValue", callee: readL(fl), args: [cx.own(readL(x.id))] } as TExprNode, BOOL, span);
      const arms: TMatchArm[] = [
        { pattern: pat(rt, 0, [x.p]), body: call, span },
        { pattern: pat(rt, 1, []), body: mk({ kind: "bool", value: false } as TExprNode, BOOL, span), span },
      ];
      return done(match(recvValue(), arms, BOOL), BOOL);
    }
    case "unwrap_or_default": {
      const d = defaultValue(cx, inner, span);
      if (!d) {
        cx.err(Codes.UnsatisfiedBound, `unwrap_or_default needs \`${show(inner)}: Default\`: derive or implement Default for it`, span);
        return abandon();
      }
      const x = bindPat("$x", inner);
      const arms: TMatchArm[] = [
        { pattern: pat(rt, 0, [x.p]), body: cx.own(readL(x.id)), span },
        { pattern: pat(rt, 1, []), body: d, span },
      ];
      return done(match(recvValue(), arms, inner), inner);
    }
    case "zip": {
      const otherInner = freshVar();
      const otherTy = cx.optionOf(otherInner);
      const p = bindTemp("$p", value(args[0], otherTy));
      const pairTy: Ty = { kind: "tuple", elems: [inner, otherInner] };
      const resTy = cx.optionOf(pairTy);
      const x = bindPat("$x", inner);
      const y = bindPat("$y", otherInner);
      const po = resolve(otherTy) as EnumTy;
      const innerMatch = match(cx.own(readL(p)), [
        { pattern: pat(po, 0, [y.p]), body: variant(resTy, 0, [mk({ kind: "tuple", elems: [cx.own(readL(x.id)), cx.own(readL(y.id))] } as TExprNode, pairTy, span)]), span },
        { pattern: pat(po, 1, []), body: variant(resTy, 1, []), span },
      ], resTy);
      const arms: TMatchArm[] = [
        { pattern: pat(rt, 0, [x.p]), body: innerMatch, span },
        { pattern: pat(rt, 1, []), body: variant(resTy, 1, []), span },
      ];
      return done(match(recvValue(), arms, resTy), resTy);
    }
    case "and": {
      const otherTy = isOpt ? cx.optionOf(freshVar()) : cx.resultOf(freshVar(), rt.args[1]);
      const p = bindTemp("$p", value(args[0], otherTy));
      const pt = resolve(T(readL(p))) as EnumTy;
      const arms: TMatchArm[] = [{ pattern: pat(rt, 0, [wild(inner)]), body: cx.own(readL(p)), span }];
      if (isOpt) arms.push({ pattern: pat(rt, 1, []), body: variant(pt, 1, []), span });
      else {
        const e = bindPat("$e", rt.args[1]);
        arms.push({ pattern: pat(rt, 1, [e.p]), body: variant(pt, 1, [cx.own(readL(e.id))]), span });
      }
      return done(match(recvValue(), arms, pt), pt);
    }
    case "as_ref":
    case "cloned":
    case "clone":
      b.popScope();
      return ownMarker(recvValue(), true);
  }

  // The mutating ones: the receiver must be a mutable place.
  s.mutRecv();
  const place = (s.asPlace as { kind: "place"; place: TPlace }).place;
  // Each use gets its own copy of the place: the typed tree shares no node between two places.
  const at = (): TPlace => copyTree(place);
  const readPlace = (): TExpr => mk({ kind: "read", place: at() }, rt, span);
  const assign = (v: TExpr): TStmt => ({ kind: "assign", place: at(), value: v, span }) as TStmt;
  switch (m) {
    case "take":
    case "replace": {
      const fresh = m === "replace" ? bindTemp("$new", value(args[0], inner)) : undefined;
      const old = bindTemp("$old", ownMarker(readPlace(), true));
      stmts.push(assign(fresh === undefined ? variant(rt, 1, []) : variant(rt, 0, [cx.own(readL(fresh))])));
      return done(cx.own(readL(old)), rt);
    }
    case "get_or_insert":
    case "get_or_insert_with": {
      let fill: TExpr;
      if (m === "get_or_insert") fill = cx.own(readL(bindTemp("$new", value(args[0], inner))));
      else {
        const f = closure(args[0], [], inner);
        if (!f) return abandon();
        fill = mk({ kind: "callValue", callee: readL(bindTemp("$f", f)), args: [] } as TExprNode, inner, span);
      }
      const isNone = mk({ kind: "builtin", op: "option.is_none", receiver: { kind: "value", value: readPlace() }, args: [], typeArgs: [asType(rt)] } as TExprNode, BOOL, span);
      const then: TBlock = { kind: "block", stmts: [assign(variant(rt, 0, [fill]))], drops: [], type: asType({ kind: "unit" }), span } as TBlock;
      stmts.push({ kind: "expr", expr: mk({ kind: "if", cond: isNone, then } as TExprNode, { kind: "unit" }, span), span } as TStmt);
      const get = mk({ kind: "builtin", op: "option.unwrap", receiver: { kind: "value", value: ownMarker(readPlace(), true) }, args: [], typeArgs: [asType(rt)] } as TExprNode, inner, span);
      return done(get, inner);
    }
  }
  return abandon();
}

/** A deep copy of a typed-tree fragment (plain objects, arrays and scalars). */
function copyTree<N>(n: N): N {
  if (Array.isArray(n)) return n.map(copyTree) as N;
  if (n && typeof n === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(n as Record<string, unknown>)) out[k] = copyTree(v);
    return out as N;
  }
  return n;
}
